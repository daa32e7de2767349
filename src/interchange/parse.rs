//! Reading JSON Lines into records, with a precise error per bad line.

use std::io::BufRead;

use hallbar_index::Validate;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Record;
use super::admin_log::AdminLogRecord;

/// The longest line accepted, in bytes.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// What is wrong with one line (1-based), in Swedish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rad {}: {}", self.line, self.message)
    }
}

/// A line that held a record.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedLine {
    pub line: usize,
    pub record: Record,
}

/// An admin-log line.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedLogLine {
    pub line: usize,
    pub entry: AdminLogRecord,
}

/// Everything read from a file: content records, admin-log entries and the bad lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub lines: Vec<ParsedLine>,
    pub admin_log: Vec<ParsedLogLine>,
    pub errors: Vec<LineError>,
}

/// What one line held.
enum Item {
    Content(Box<Record>),
    AdminLog(AdminLogRecord),
}

/// Reads every line; returns the good content records and an error for each bad line
/// (admin-log lines are read and left out). A read error of the input itself (not of a
/// line's content) is returned as `Err`.
pub fn parse_lines(input: impl BufRead) -> std::io::Result<(Vec<ParsedLine>, Vec<LineError>)> {
    let parsed = parse_all(input)?;
    Ok((parsed.lines, parsed.errors))
}

/// Reads every line: the content records, the admin-log entries and an error for each bad
/// line. A read error of the input itself is returned as `Err`.
pub fn parse_all(input: impl BufRead) -> std::io::Result<Parsed> {
    parse_until(input, usize::MAX)
}

/// As [`parse_all`], but stops reading after `max_errors` bad lines, adding an error that
/// says where the check stopped (a file of countless bad lines is not held in memory as
/// countless messages).
pub fn parse_until(mut input: impl BufRead, max_errors: usize) -> std::io::Result<Parsed> {
    let mut records = Vec::new();
    let mut admin_log = Vec::new();
    let mut errors = Vec::new();
    let mut buffer = Vec::new();
    let mut line = 0;
    loop {
        if errors.len() >= max_errors {
            errors.push(LineError {
                line,
                message: format!(
                    "kontrollen avbröts efter {max_errors} rader med fel; resten av filen \
                     är inte kontrollerad"
                ),
            });
            break;
        }
        buffer.clear();
        // Read at most one byte past the limit so a huge line cannot exhaust memory.
        let read = std::io::Read::take(&mut input, MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buffer)?;
        if read == 0 {
            break;
        }
        line += 1;
        if buffer.len() > MAX_LINE_BYTES && !buffer.ends_with(b"\n") {
            errors.push(LineError {
                line,
                message: format!("raden är längre än {} byte", MAX_LINE_BYTES),
            });
            skip_rest_of_line(&mut input)?;
            continue;
        }
        match parse_line(&buffer) {
            Ok(Some(Item::Content(record))) => records.push(ParsedLine {
                line,
                record: *record,
            }),
            Ok(Some(Item::AdminLog(entry))) => admin_log.push(ParsedLogLine { line, entry }),
            Ok(None) => {}
            Err(message) => errors.push(LineError { line, message }),
        }
    }
    Ok(Parsed {
        lines: records,
        admin_log,
        errors,
    })
}

fn skip_rest_of_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(());
        }
        if let Some(pos) = available.iter().position(|&b| b == b'\n') {
            input.consume(pos + 1);
            return Ok(());
        }
        let len = available.len();
        input.consume(len);
    }
}

/// One line: `Ok(None)` for a blank line.
fn parse_line(bytes: &[u8]) -> Result<Option<Item>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "raden är inte giltig UTF-8 (ogiltig byte vid position {})",
            e.valid_up_to() + 1
        )
    })?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("ogiltig JSON: {}", swedish_json_error(&e)))?;
    let Value::Object(mut object) = value else {
        return Err("raden måste vara ett JSON-objekt".to_string());
    };
    let kind = match object.remove("type") {
        Some(Value::String(kind)) => kind,
        Some(_) => return Err("fältet \"type\" måste vara en sträng".to_string()),
        None => return Err("fältet \"type\" saknas".to_string()),
    };
    let value = Value::Object(object);
    let record = match kind.as_str() {
        "stodmodell" => Record::Model(typed(value)?),
        "medlem" => Record::Member(typed(value)?),
        "grupp" => Record::Group(typed(value)?),
        "trad" => Record::Thread(typed(value)?),
        "pivi" => Record::Pivi(typed(value)?),
        "matris" => Record::Matrix(typed(value)?),
        "artikel" => Record::Article(typed(value)?),
        "dialog" => Record::Dialogue(typed(value)?),
        "adminlogg" => {
            let entry: AdminLogRecord = typed(value)?;
            let problems = entry.problems();
            if problems.is_empty() {
                return Ok(Some(Item::AdminLog(entry)));
            }
            return Err(format!("adminlogg: {}", problems.join("; ")));
        }
        other => {
            return Err(format!(
                "okänd typ \"{}\"; tillåtna: stodmodell, medlem, grupp, trad, pivi, matris, \
                 artikel, dialog, adminlogg",
                other.chars().take(40).collect::<String>()
            ));
        }
    };
    let problems = match &record {
        Record::Model(m) => m.validate(),
        Record::Member(m) => m.validate(),
        Record::Group(g) => g.validate(),
        Record::Thread(t) => t.validate(),
        Record::Pivi(p) => p.validate(),
        Record::Matrix(m) => m.validate(),
        Record::Article(a) => a.validate(),
        Record::Dialogue(d) => d.validate(),
    };
    if problems.is_empty() {
        Ok(Some(Item::Content(Box::new(record))))
    } else {
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        Err(format!("{} \"{}\": {}", kind, record.id(), list.join("; ")))
    }
}

/// Deserialises into `T`, naming the field that failed.
fn typed<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = swedish_serde_error(&e.into_inner().to_string());
        if path == "." {
            inner
        } else {
            format!("{path}: {inner}")
        }
    })
}

fn swedish_json_error(e: &serde_json::Error) -> String {
    format!(
        "{} (kolumn {})",
        swedish_serde_error(&e.to_string()),
        e.column()
    )
}

/// Swedish names for the JSON types in serde's "invalid type" messages.
fn swedish_types(text: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        (", expected ", ", förväntade "),
        ("a string", "en sträng"),
        ("a sequence", "en lista"),
        ("a map", "ett objekt"),
        ("a boolean", "sant eller falskt"),
        ("struct ", "objekt "),
        ("integer ", "heltal "),
        ("floating point ", "decimaltal "),
        ("string ", "sträng "),
        ("boolean ", "sant/falskt "),
        ("sequence", "lista"),
        ("map", "objekt"),
        ("null", "null"),
        ("expected i32", "förväntade ett heltal"),
        ("i32", "heltal"),
        ("i64", "heltal"),
        ("u32", "heltal"),
    ];
    let mut out = text.to_string();
    for (english, swedish) in WORDS {
        out = out.replace(english, swedish);
    }
    out
}

/// Translates serde's common messages; anything else is passed through.
fn swedish_serde_error(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("obligatoriskt fält {rest} saknas");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        return format!("okänt fält {field}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return format!("fel typ av värde: {}", swedish_types(rest));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return format!("ogiltigt värde: {}", swedish_types(rest));
    }
    if message.starts_with("number out of range") {
        return "talet är för stort".to_string();
    }
    const DATE_ERRORS: &[&str] = &[
        "input contains invalid characters",
        "premature end of input",
        "input is out of range",
        "input is not enough for unique date and time",
        "trailing input",
        "no possible date and time matching input",
    ];
    if DATE_ERRORS.iter().any(|p| message.starts_with(p)) {
        return "ogiltigt datum eller tidpunkt (skriv datum som ÅÅÅÅ-MM-DD och tidpunkter \
                som 2015-03-12T09:15:00Z)"
            .to_string();
    }
    const SYNTAX_ERRORS: &[(&str, &str)] = &[
        ("EOF while parsing", "raden tar slut mitt i ett JSON-värde"),
        ("expected value", "ett JSON-värde väntades"),
        ("expected ident", "ett JSON-värde väntades"),
        ("trailing characters", "oväntade tecken efter JSON-objektet"),
        ("trailing comma", "kommatecken före avslutande klammer"),
        (
            "key must be a string",
            "nycklar måste vara strängar inom citattecken",
        ),
        ("expected `,` or `}`", "kommatecken eller } väntades"),
        ("expected `,` or `]`", "kommatecken eller ] väntades"),
        ("expected `:`", "kolon väntades efter nyckeln"),
        ("invalid escape", "ogiltig escape-sekvens i en sträng"),
        ("control character", "otillåtet kontrolltecken i en sträng"),
        ("recursion limit exceeded", "för djupt nästlad JSON"),
    ];
    for (prefix, swedish) in SYNTAX_ERRORS {
        if message.starts_with(prefix) {
            return (*swedish).to_string();
        }
    }
    message.to_string()
}
