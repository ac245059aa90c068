from flask import Flask

from blog.home import home
from blog.legacy import legacy
from blog.posts import posts
from blog.users import users

app = Flask(__name__)
app.register_blueprint(home)
app.register_blueprint(posts, url_prefix="/posts")
app.register_blueprint(users)
app.register_blueprint(legacy)
