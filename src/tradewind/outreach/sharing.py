"""Who may use and who may change a letter template or a sequence.

Templates and sequences are not customer data, so the customer visibility rule does not apply;
they follow their own, simpler rule:

* **use** (pick it when composing or enrolling, see it in the lists): the owner; everyone in
  the owner's team when it is shared; the manager of that team when it is shared; admins.
* **change or delete**: the owner and admins.

Judgement call: a manager does not edit a rep's template (the rep's name is on the letters);
they can copy the text into their own.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from tradewind.core.errors import NotFound


def usable_q(user) -> Q:
    """Rows (EmailTemplate or Sequence) ``user`` may use."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_workspace_admin:
        return Q()
    if user.team_id:
        shared = Q(is_shared=True) & (Q(owner__team__manager=user) | Q(owner__team=user.team_id))
    else:
        shared = Q(is_shared=True, owner__team__manager=user)
    return Q(owner=user) | shared


def editable_q(user) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_workspace_admin:
        return Q()
    return Q(owner=user)


def usable_or_404(model, user, pk, *, for_change: bool = False, lock: bool = False):
    """The row if ``user`` may use it (or change it); NotFound otherwise (both look the same)."""
    rule = editable_q(user) if for_change else usable_q(user)
    qs = model.objects.filter(rule)
    if lock:
        qs = qs.select_for_update(of=("self",))
    row = qs.filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise NotFound(_("No such %(what)s.") % {"what": model._meta.verbose_name})
    return row
