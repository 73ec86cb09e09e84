"""Households (户) of the sending county's poverty registry: their members, the official assigned
to help each, and the zero-employment households (零就业家庭) the county must clear (动态清零).
The household itself is a registry record (registry.models.Household); what this feature adds
reads employment too, so it sits above it."""
