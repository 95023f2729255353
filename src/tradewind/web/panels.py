"""Cards other apps add to "My day" (overdue inquiries, approvals to decide, L/C deadlines, …).

An app registers a function in its ``AppConfig.ready``::

    register_my_day_panel(order=20, panel=overdue_inquiries)

``panel(request)`` returns ``None`` (nothing to show) or ``(template_name, context)``; the
template renders one ``<section class="card">``. Panels are shown in ``order``.
"""

from collections.abc import Callable

Panel = Callable[..., tuple[str, dict] | None]

_PANELS: list[tuple[int, Panel]] = []


def register_my_day_panel(*, order: int, panel: Panel) -> None:
    if all(existing is not panel for _order, existing in _PANELS):
        _PANELS.append((order, panel))
        _PANELS.sort(key=lambda entry: entry[0])


def my_day_panels(request) -> list[tuple[str, dict]]:
    shown = []
    for _order, panel in _PANELS:
        result = panel(request)
        if result is not None:
            shown.append(result)
    return shown
