"""Users, roles, regions, API tokens and login."""
