"""Device drivers: card reader (PC/SC) and, later, camera. Never imports Qt, app/ or central/."""
