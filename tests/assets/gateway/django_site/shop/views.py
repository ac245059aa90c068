def item(request, code):
    return code


def cart(request):
    return "cart"


def buy(request, slug):
    return slug
