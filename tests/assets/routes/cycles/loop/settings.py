ROOT_URLCONF = "loop.urls"
