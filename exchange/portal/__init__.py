"""The web pages: landing, login and the home page of each role (server-rendered, no CDN)."""
