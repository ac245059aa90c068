"""A small Django project whose ``common`` app the shared library splits: its package, AppConfig,
helpers and template tag library (``{% load shout_tags %}``, which the blog's and the shop's
templates load) go to the shared library, its model stays with the blog service; the project's
own suite (``manage.py test``) reads both pages. For tests/functional/test_generate_django_apps.py
and tests/e2e/test_django_app_places.py."""

from __future__ import annotations

from pathlib import Path

SITE = {
    "manage.py": (
        "import os\nimport sys\n\n"
        'if __name__ == "__main__":\n'
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\n'
        "    from django.core.management import execute_from_command_line\n\n"
        "    execute_from_command_line(sys.argv)\n"
    ),
    "requirements.txt": "django==5.1.5\n",
    "site_app/__init__.py": "",
    "site_app/settings.py": (
        'SECRET_KEY = "not-a-secret"\n'
        "DEBUG = True\n"
        'ALLOWED_HOSTS = ["*"]\n'
        'ROOT_URLCONF = "site_app.urls"\n'
        'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.humanize", "site_app.common", "site_app.blog", "site_app.shop"]\n'
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n'
        'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True, "OPTIONS": {}}]\n'
        'DEFAULT_AUTO_FIELD = "django.db.models.AutoField"\n'
    ),
    "site_app/urls.py": (
        "from django.urls import include, path\n\n"
        'urlpatterns = [path("blog/", include("site_app.blog.urls")), path("shop/", include("site_app.shop.urls"))]\n'
    ),
    "site_app/common/__init__.py": "",
    "site_app/common/apps.py": (
        "from django.apps import AppConfig\n\n\n"
        "class CommonConfig(AppConfig):\n"
        '    name = "site_app.common"\n'
        '    label = "common"\n'
        '    verbose_name = "Common things"\n'
    ),
    "site_app/common/models.py": (
        "from django.db import models\n\n\n"
        "class Label(models.Model):\n"
        "    name = models.CharField(max_length=40)\n"
    ),
    "site_app/common/text.py": 'def shout(value):\n    return str(value).upper() + "!"\n',
    "site_app/common/templatetags/__init__.py": "",
    "site_app/common/templatetags/shout_tags.py": (
        "from django import template\n\n"
        "from site_app.common.text import shout\n\n"
        "register = template.Library()\n\n\n"
        '@register.filter(name="shout")\n'
        "def shout_filter(value):\n"
        "    return shout(value)\n"
    ),
    "site_app/blog/__init__.py": "",
    "site_app/blog/models.py": (
        "from django.db import models\n\n"
        "from site_app.common.models import Label\n\n\n"
        "class Post(models.Model):\n"
        "    title = models.CharField(max_length=80)\n"
        "    label = models.ForeignKey(Label, null=True, on_delete=models.SET_NULL)\n"
    ),
    "site_app/blog/views.py": (
        "from django.shortcuts import render\n\n"
        "from site_app.blog.models import Post\n"
        "from site_app.common.text import shout\n\n\n"
        "def posts(request):\n"
        '    return render(request, "blog/posts.html", {"posts": Post.objects.all(), "title": shout("posts")})\n'
    ),
    "site_app/blog/urls.py": 'from django.urls import path\n\nfrom site_app.blog import views\n\nurlpatterns = [path("", views.posts)]\n',
    "site_app/blog/templates/blog/posts.html": (
        '{% load shout_tags humanize %}<h1>{{ title }} {{ 1000|intcomma }}</h1>{% for post in posts %}<p>{{ post.title|shout }}</p>{% endfor %}\n'
    ),
    "site_app/blog/tests.py": (
        "from django.test import TestCase\n\n"
        "from site_app.blog.models import Post\n\n\n"
        "class BlogPages(TestCase):\n"
        "    def test_posts_read_through_the_common_tag_library(self):\n"
        '        Post.objects.create(title="hello")\n'
        '        response = self.client.get("/blog/")\n'
        "        self.assertEqual(response.status_code, 200)\n"
        '        self.assertContains(response, "<p>HELLO!</p>")\n'
    ),
    "site_app/common/migrations/__init__.py": "",
    "site_app/common/migrations/0001_initial.py": (
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    initial = True\n"
        "    dependencies = []\n"
        "    operations = [migrations.CreateModel(name=\"Label\", fields=[\n"
        "        (\"id\", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name=\"ID\")),\n"
        "        (\"name\", models.CharField(max_length=40))])]\n"
    ),
    "site_app/blog/migrations/__init__.py": "",
    "site_app/blog/migrations/0001_initial.py": (
        "import django.db.models.deletion\n"
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    initial = True\n"
        "    dependencies = [(\"common\", \"0001_initial\")]\n"
        "    operations = [migrations.CreateModel(name=\"Post\", fields=[\n"
        "        (\"id\", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name=\"ID\")),\n"
        "        (\"title\", models.CharField(max_length=80)),\n"
        "        (\"label\", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to=\"common.label\"))])]\n"
    ),
    "site_app/shop/migrations/__init__.py": "",
    "site_app/shop/migrations/0001_initial.py": (
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    initial = True\n"
        "    dependencies = []\n"
        "    operations = [migrations.CreateModel(name=\"Product\", fields=[\n"
        "        (\"id\", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name=\"ID\")),\n"
        "        (\"name\", models.CharField(max_length=80))])]\n"
    ),
    "site_app/shop/__init__.py": "",
    "site_app/shop/models.py": "from django.db import models\n\n\nclass Product(models.Model):\n    name = models.CharField(max_length=80)\n",
    "site_app/shop/views.py": (
        "from django.shortcuts import render\n\n"
        "from site_app.common.text import shout\n"
        "from site_app.shop.models import Product\n\n\n"
        "def products(request):\n"
        '    return render(request, "shop/products.html", {"products": Product.objects.all(), "title": shout("shop")})\n'
    ),
    "site_app/shop/urls.py": 'from django.urls import path\n\nfrom site_app.shop import views\n\nurlpatterns = [path("", views.products)]\n',
    "site_app/shop/templates/shop/products.html": (
        "{% load shout_tags %}<h1>{{ title }}</h1>{% for product in products %}<p>{{ product.name|shout }}</p>{% endfor %}\n"
    ),
    "site_app/shop/tests.py": (
        "from django.test import TestCase\n\n"
        "from site_app.shop.models import Product\n\n\n"
        "class ShopPages(TestCase):\n"
        "    def test_products_read_through_the_common_tag_library(self):\n"
        '        Product.objects.create(name="tea")\n'
        '        response = self.client.get("/shop/")\n'
        "        self.assertEqual(response.status_code, 200)\n"
        '        self.assertContains(response, "<p>TEA!</p>")\n'
    ),
}

SIGNING_SITE = {
    **SITE,
    "site_app/settings.py": SITE["site_app/settings.py"].replace(
        'INSTALLED_APPS = ["django.contrib.contenttypes", ',
        'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions", ',
    ) + (
        'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", '
        '"django.contrib.auth.middleware.AuthenticationMiddleware"]\n'
    ),
    "site_app/blog/views.py": SITE["site_app/blog/views.py"] + (
        "\n\n"
        "from django.contrib.auth import authenticate, login\n"
        "from django.http import HttpResponse\n"
        "from django.views.decorators.csrf import csrf_exempt\n\n\n"
        "@csrf_exempt\n"
        "def sign_in(request):\n"
        '    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])\n'
        "    if user is None:\n"
        '        return HttpResponse("no", status=403)\n'
        "    login(request, user)\n"
        '    return HttpResponse("signed in")\n'
    ),
    "site_app/blog/urls.py": (
        "from django.urls import path\n\nfrom site_app.blog import views\n\n"
        'urlpatterns = [path("", views.posts), path("sign-in/", views.sign_in)]\n'
    ),
    "site_app/shop/views.py": SITE["site_app/shop/views.py"] + (
        "\n\n"
        "from django.http import HttpResponse\n\n\n"
        "def who(request):\n"
        '    return HttpResponse(request.user.username if request.user.is_authenticated else "anonymous")\n'
    ),
    "site_app/shop/urls.py": (
        "from django.urls import path\n\nfrom site_app.shop import views\n\n"
        'urlpatterns = [path("", views.products), path("who/", views.who)]\n'
    ),
    "site_app/shop/tests.py": SITE["site_app/shop/tests.py"] + (
        "\n\n"
        "class SignedIn(TestCase):\n"
        "    def setUp(self):\n"
        "        from django.contrib.auth.models import User\n\n"
        '        User.objects.create_user("ada", password="lovelace-1815")\n\n'
        "    def test_a_sign_in_through_the_blog_is_known_to_the_shop(self):\n"
        '        signed = self.client.post("/blog/sign-in/", {"username": "ada", "password": "lovelace-1815"})\n'
        '        self.assertContains(signed, "signed in")\n'
        '        self.assertContains(self.client.get("/shop/who/"), "ada")\n\n'
        "    def test_the_test_clients_login_is_known_to_the_shop(self):\n"
        '        self.assertTrue(self.client.login(username="ada", password="lovelace-1815"))\n'
        '        self.assertContains(self.client.get("/shop/who/"), "ada")\n'
    ),
}
"""The site with Django's users and sessions: the blog signs a user in, the shop says who is signed in
(for tests/e2e/test_django_app_places.py: a login through one service known to another, each with
a database of its own)."""

DECOMPOSITION = """\
schema: migrator.decomposition/1
unit: module
services:
  blog: {modules: [site_app.blog, site_app.blog.models, site_app.blog.urls, site_app.blog.views, site_app.common.models]}
  shop: {modules: [site_app.shop, site_app.shop.models, site_app.shop.urls, site_app.shop.views]}
shared:
  modules: [site_app.common, site_app.common.apps, site_app.common.templatetags, site_app.common.templatetags.shout_tags,
            site_app.common.text]
infrastructure: [manage, site_app, site_app.settings, site_app.urls]
"""
"""What ``migrator propose`` makes of it, its module lists only: the ``common`` app's package goes to
the shared library, its model stays with the blog, so ``INSTALLED_APPS`` keeps naming
``site_app.common`` in every service."""


def write_site(folder: Path, site: dict[str, str] = SITE) -> Path:
    """The project (``SITE`` or another) written into ``folder`` (made), and its decomposition beside it; ``folder``."""
    for relpath, text in site.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder.parent / f"{folder.name}.decomposition.yaml").write_text(DECOMPOSITION, encoding="utf-8")
    return folder
