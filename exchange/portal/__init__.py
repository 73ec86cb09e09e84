"""What every page shares: login and the session, the layout (menu, header, the pairing chosen),
the home page, and the registries through which features add their menu entries, home-page
cards and sections of a person's page. Features own their pages (<feature>/pages.py); this
package imports none of them."""
