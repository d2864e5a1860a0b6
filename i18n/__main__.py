"""``python -m i18n``: update the catalogues from the code (see ``i18n.catalogue``)."""

from i18n.catalogue import update

update()
