INSTALLED_APPS = ["accounts", "shop.catalog", "shop.orders"]
AUTH_USER_MODEL = "accounts.User"
