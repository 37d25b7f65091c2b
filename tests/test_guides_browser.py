"""axe-core on the guides (issue 8, part 3), at phone and desktop widths."""

import pytest

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser]

BODY = """## Avant de commencer

Un paragraphe avec un [lien vers la CNIL](https://www.cnil.fr/).

### Une liste

- premier point ;
- second point.

| Critère | Question |
| --- | --- |
| Coût | Combien par an ? |
"""


@pytest.mark.parametrize("path", ["/guides/", "GUIDE"])
def test_guides_have_no_wcag_violation(browser_page, path):
    # The live server flushes the database after each test: create the guide here (its own slug,
    # since the shipped guides are still there for the first test of the session).
    guide = builders.make_guide(
        "Être trouvé en ligne", slug="guide-axe", body=BODY, summary="Un guide pour les tests."
    )
    page = browser_page
    page.goto(page.base_url + (guide.get_absolute_url() if path == "GUIDE" else path))
    assert page.locator("h1").count() == 1
    assert_accessible(page)
