def index(request):
    return "home"


def profile(request, username):
    return username
