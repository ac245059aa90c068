"""Left in the monolith: drafts sits where the blog's <slug:slug>/ would take it."""


def drafts(request):
    return "drafts"


def page(request, page):
    return page
