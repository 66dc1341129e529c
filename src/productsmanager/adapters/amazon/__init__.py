"""Amazon's Selling Partner API: Login with Amazon's tokens and the Catalog Items API (v2022-04-01)."""
