"""The global settings: every section, one section, an admin's change to one section."""
