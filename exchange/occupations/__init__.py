"""The occupation taxonomy both sides resolve typed occupations with (GB/T 6565, 2015 edition)."""
