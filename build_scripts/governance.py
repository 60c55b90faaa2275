"""Content governance: pages whose review date has passed.

Every page names its owner, when it was last reviewed and when it is next due (front matter).
The build prints one warning per overdue page, naming the page, its owner and the configuration's
``review_owner``; with ``fail_on_overdue_review: true`` in ``site_src/config.yml`` the build
stops instead. The rendered page also says that its review is overdue.
"""

from __future__ import annotations

from datetime import date

from .content import Content, ContentError, Page

__all__ = ["is_overdue", "overdue_reviews", "check_reviews"]


def is_overdue(page: Page, today: date) -> bool:
    return date.fromisoformat(page.meta["next_review"]) < today


def overdue_reviews(content: Content, today: date) -> list[str]:
    """One line per page whose ``next_review`` is before ``today``."""
    return [
        f"site_src/pages/{page.source.name}: field 'next_review': review was due "
        f"{page.meta['next_review']} (page owner: {page.meta['owner']}; review owner: "
        f"{content.config['review_owner']})"
        for page in content.pages if is_overdue(page, today)
    ]


def check_reviews(content: Content, today: date) -> list[str]:
    """The overdue warnings; raise :class:`ContentError` instead if the config says to fail."""
    overdue = overdue_reviews(content, today)
    if overdue and content.config.get("fail_on_overdue_review", False):
        raise ContentError(overdue + ["(config.yml sets fail_on_overdue_review: true; review "
                                      "the pages and move their next_review dates, or set it "
                                      "to false to build with a warning)"])
    return overdue
