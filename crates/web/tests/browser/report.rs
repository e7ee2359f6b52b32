//! The analyst opens the board's report and downloads its CSV and PDF.

use fantoccini::Locator;

use super::*;

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn the_analyst_opens_the_report_and_downloads_the_csv_and_the_pdf() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
    let store = trappa_store::testing::fresh_sqlite().await;
    let s = support::start("sqlite", store).await;
    let downloads = trappa_store::testing::test_dir().join(format!("downloads-{}", uuid_like()));
    std::fs::create_dir_all(&downloads).unwrap();
    let c = connect_with(&driver, Some(&downloads)).await;
    sign_in(&c, &s, "analytiker").await;

    // From the navigation to the report: key figures, charts, reach, definitions.
    follow(&c, "Uppföljning").await;
    c.wait()
        .for_element(Locator::Css("table.key-figures"))
        .await
        .expect("the key figures");
    let page = body_text(&c).await;
    for part in [
        "Nyckeltal",
        "Räckvidd per kommun",
        "Definitioner",
        "Kostnad per aktiv patient",
    ] {
        assert!(page.contains(part), "{part}");
    }
    assert!(
        c.find_all(Locator::Css("figure.chart svg"))
            .await
            .unwrap()
            .len()
            >= 3,
        "the trend and split charts"
    );
    c.find(Locator::Css("figure.map svg"))
        .await
        .expect("the map of reach");
    axe(&c, &axe_source, "report").await;

    // Two years, by municipality.
    let two_years_ago = trappa_app::clock::today()
        .checked_sub(jiff::Span::new().years(2))
        .unwrap()
        .to_string();
    c.execute(
        "document.getElementById('fran').value = arguments[0];
         document.getElementById('fordelning').value = 'municipality';",
        vec![json!(two_years_ago)],
    )
    .await
    .unwrap();
    submit(&c, "form.search-form").await;
    c.wait()
        .for_element(Locator::XPath("//h2[contains(., 'Per kommun')]"))
        .await
        .expect("the split by municipality");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("fordelning=municipality")
    );

    // The downloads, as the browser saves them.
    c.find(Locator::Css("#report-csv"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let csv = String::from_utf8(downloaded(&downloads, "uppfoljning-", ".csv").await).unwrap();
    // For Swedish Excel: a BOM, semicolons, Swedish headings and names.
    assert!(
        csv.starts_with("\u{feff}Tabell;Nyckel;Namn;Mått;Värde"),
        "{csv:.200}"
    );
    assert!(
        csv.contains(&format!("Totalt;;{two_years_ago} – ")),
        "the chosen period"
    );
    assert!(csv.contains("Per kommun;"), "every split");
    c.find(Locator::Css("#report-pdf"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let pdf = downloaded(&downloads, "arsrapport-", ".pdf").await;
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));

    // A bad period: a Swedish message, nothing else.
    goto(&c, &s, "/rapport?fran=2026-06-01&till=2026-01-01").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("the error summary");
    assert!(
        body_text(&c)
            .await
            .contains("Periodens första dag ligger efter dess sista.")
    );
    axe(&c, &axe_source, "report error").await;

    // The needs page, before any analysis is imported.
    follow(&c, "Behovsanalys").await;
    c.wait()
        .for_element(Locator::XPath("//h1[contains(., 'Behovsanalys')]"))
        .await
        .expect("the needs page");
    assert!(body_text(&c).await.contains("--save-as analytiker"));
    axe(&c, &axe_source, "needs").await;
    let _ = std::fs::remove_dir_all(&downloads);
}
