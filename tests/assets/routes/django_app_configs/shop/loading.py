import importlib


def get_class(module_label, classname):
    """Loads a class by the label of its module, as django-oscar's dynamic loading does."""
    return getattr(importlib.import_module(f"shop.{module_label}"), classname)
