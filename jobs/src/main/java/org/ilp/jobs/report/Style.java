package org.ilp.jobs.report;

/** The reports' inline style sheet (no external assets: a report is one self-contained file). */
final class Style {
  private Style() {}

  static final String CSS = "body{margin:0;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,'Helvetica Neue',"
      + "Arial,sans-serif;color:#1d2733;font-size:14px;line-height:1.45}"
      + ".page{max-width:1100px;margin:0 auto;background:#fff;padding:28px 40px 40px}"
      + ".banner{background:#7a1f1f;color:#fff;font-weight:600;letter-spacing:.03em;padding:6px 12px;font-size:12px;"
      + "text-transform:uppercase}"
      + "h1{font-size:26px;margin:18px 0 4px}h2{font-size:18px;margin:30px 0 10px;border-bottom:2px solid #0072B2;"
      + "padding-bottom:4px}h3{font-size:15px;margin:16px 0 4px}.sub{color:#5a6572;margin:0 0 12px}"
      + ".cards{display:flex;gap:12px;flex-wrap:wrap;margin:18px 0}.card{flex:1 1 200px;border:1px solid #dde2e8;"
      + "border-radius:6px;padding:12px 14px;background:#fafbfc}.lab{font-size:12px;color:#5a6572;text-transform:uppercase;"
      + "letter-spacing:.04em}.val{font-size:26px;font-weight:700;margin:4px 0}.small .val{font-size:20px}"
      + ".note{font-size:12px;color:#5a6572}.kj li{margin:4px 0}"
      + "table{border-collapse:collapse;width:100%;font-size:12.5px;margin:6px 0}th{background:#eef1f5;text-align:left;"
      + "font-weight:600;padding:6px}td{padding:5px 6px;border-bottom:1px solid #e6e9ee;vertical-align:top}"
      + ".n{text-align:right;white-space:nowrap}.up{color:#b34700;font-weight:700}.down{color:#0072B2;font-weight:700}"
      + ".why{color:#3d4853;font-size:12px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:10px}"
      + "figure{margin:0;border:1px solid #e6e9ee}figure img{width:100%;display:block}"
      + ".prov th{width:30%;background:#f6f7f9;color:#5a6572}.prov td{color:#5a6572;font-family:monospace;font-size:12px}"
      + "@media print{body{background:#fff}.page{padding:0}.grid{grid-template-columns:1fr 1fr}h2{break-after:avoid}"
      + "tr,figure{break-inside:avoid}}";
}
