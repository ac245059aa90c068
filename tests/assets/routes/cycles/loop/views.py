def home(request):
    return None


def leaf(request):
    return None
