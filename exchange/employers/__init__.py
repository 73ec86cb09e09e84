"""The receiving region's employers (用工企业), their vetting, and their postings (岗位)."""
