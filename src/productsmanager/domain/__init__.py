"""Pure model of the catalog: entities, value objects, policies and domain errors (stdlib + attrs)."""
