"""The interface language is switched by a link; public pages set no cookie."""


def test_public_pages_set_no_cookie(samples, client):
    response = client.get("/omitama/2023/11/")
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")


def test_language_link_switches_to_english_and_back(samples, client):
    html = client.get("/omitama/2023/").content.decode()
    assert 'href="/language/?language=en&amp;next=/omitama/2023/"' in html
    response = client.get("/language/", {"language": "en", "next": "/omitama/2023/"})
    assert response.status_code == 302
    assert response["Location"] == "/omitama/2023/"
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en"' in client.get("/omitama/2023/").content.decode()
    client.get("/language/", {"language": "ja", "next": "/"})
    assert '<html lang="ja"' in client.get("/omitama/2023/").content.decode()


def test_language_switch_refuses_unknown_languages_and_foreign_urls(samples, client):
    response = client.get("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies
