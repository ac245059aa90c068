def year(request, year):
    return year


def tag(request, name):
    return name


def archive(request, year, month):
    return year + month


def files(request, name):
    return name


def post(request, slug):
    return slug
