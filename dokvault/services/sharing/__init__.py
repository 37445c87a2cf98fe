"""Sharing documents beyond their owner: with a person or another office (shares) and by
secret link (links), every use of a link recorded for the owner. Who may read what is
services/access.py; these modules write what it reads."""

from dokvault.services.sharing import links, shares
from dokvault.services.sharing.links import AccessRow, LinkRow, LinkView, NewLink
from dokvault.services.sharing.shares import Recipient, ShareRow

__all__ = ["AccessRow", "LinkRow", "LinkView", "NewLink", "Recipient", "ShareRow", "links",
           "shares"]
