from playwright.sync_api import Page, expect
from e2e.pages.portal import HomePage

def test_fails_on_purpose(page: Page, journey) -> None:
    home = HomePage.open(page)
    page.evaluate("""() => { const img = document.createElement('span');
       document.querySelector('main').append(img);
       const wide = document.createElement('div'); wide.style.width = '900px'; wide.textContent = 'wide';
       document.querySelector('main').append(wide);
       const style = document.createElement('style'); style.textContent = 'h1 { color: red }'; document.head.append(style); }""")
    journey.step(page, "broken")
