ROOT_URLCONF = "urls"
INSTALLED_APPS = ["shop", "shop.catalogue", "shop.customer"]
