from django import template

from opinions import uploads

register = template.Library()


@register.simple_tag
def accepted_files():
    """A file input's `accept`, from the same list the upload check uses."""
    return uploads.ACCEPT
