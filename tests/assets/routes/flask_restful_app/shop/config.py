class Config:
    SECRET_KEY = "dev"
    ACCOUNT_URL_PREFIX = "/account"


class TestingConfig(Config):
    TESTING = True
