DEBUG = False
ROOT_URLCONF = "proj.urls"
