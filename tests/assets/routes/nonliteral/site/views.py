def compute_prefix():
    return "z"


PREFIX = compute_prefix()


def reports(request):
    return None


def section(request, pk):
    return None


def other(request):
    return None
