"""The sending region's registry of seekers (求职者) and its spreadsheet import."""
