def register_view(blueprint, routes, view_func, methods=("GET",)):
    """As FlaskBB does: one view, several rules, registered by a helper of the application."""
    for rule in routes:
        blueprint.add_url_rule(rule, view_func=view_func, methods=methods)
