//! Requests per second of the real server on the demo corpus: starts the release `hallbar`
//! binary on a temporary data directory (a free port, the demo corpus loaded as on a fresh
//! install) and drives it with a load generator in this process (keep-alive HTTP/1.1 over
//! loopback, one thread, `HALLBAR_BENCH_CONNECTIONS` connections, like `wrk -t1 -c8`).
//! Reports `/healthz`, `/api/v1/sok?q=dialog` and `/sok?q=dialog`, each search route's
//! share of `/healthz` throughput measured in the same round, and the server's CPU time per
//! request (from `/proc`, on Linux), which varies far less with the machine's load.
//!
//! Run: `cargo bench --bench http_throughput` (`HALLBAR_BENCH_SECONDS` per route and round,
//! default 5; `HALLBAR_BENCH_ROUNDS`, default 3; `HALLBAR_BENCH_SERVER=path` drives another
//! build of `hallbar`, for comparisons). Server and load generator share the machine, as
//! with `wrk`: compare ratios, not absolute figures, across machines.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The routes measured; the first is the reference the others are compared with.
const ROUTES: &[&str] = &["/healthz", "/api/v1/sok?q=dialog", "/sok?q=dialog"];

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The server process, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
    _data: tempfile::TempDir,
}

impl Server {
    fn start() -> Result<Self, Error> {
        let data = tempfile::tempdir()?;
        let binary = std::env::var_os("HALLBAR_BENCH_SERVER")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_hallbar").into());
        let mut child = Command::new(binary)
            .arg("--data-dir")
            .arg(data.path())
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().ok_or("no stdout from the server")?;
        // The server prints its address once it listens: "… på http://127.0.0.1:PORT – …".
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let Some(line) = lines.next() else {
                let _ = child.kill();
                return Err("the server exited before it listened".into());
            };
            if let Some(url) = line?.split_whitespace().find(|w| w.starts_with("http://")) {
                break url.trim_start_matches("http://").to_string();
            }
        };
        Ok(Server {
            child,
            addr,
            _data: data,
        })
    }
}

impl Server {
    /// The server's CPU time so far (user and system), where `/proc` tells it.
    fn cpu_seconds(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // Fields after the command name (which may hold spaces): state is the 3rd field,
        // utime and stime the 14th and 15th, in clock ticks of 1/100 s (USER_HZ).
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one response into `buf` and returns its status and body length. Handles
/// `Content-Length` and chunked bodies (no pipelining: nothing follows the response).
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(u16, usize), Error> {
    buf.clear();
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if stream.read_buf(buf).await? == 0 {
            return Err("the connection closed mid-response".into());
        }
    };
    let head = std::str::from_utf8(&buf[..head_end])?.to_ascii_lowercase();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status line")?;
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
    };
    if let Some(length) = header("content-length:") {
        let end = head_end + length.parse::<usize>()?;
        while buf.len() < end {
            if stream.read_buf(buf).await? == 0 {
                return Err("the connection closed mid-body".into());
            }
        }
        return Ok((status, end - head_end));
    }
    if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        let (mut at, mut body) = (head_end, 0);
        loop {
            let line_end = loop {
                if let Some(i) = buf[at..].windows(2).position(|w| w == b"\r\n") {
                    break at + i;
                }
                if stream.read_buf(buf).await? == 0 {
                    return Err("the connection closed mid-chunk".into());
                }
            };
            let size_text = std::str::from_utf8(&buf[at..line_end])?;
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)?;
            let end = line_end + 2 + size + 2;
            while buf.len() < end {
                if stream.read_buf(buf).await? == 0 {
                    return Err("the connection closed mid-chunk".into());
                }
            }
            body += size;
            at = end;
            if size == 0 {
                return Ok((status, body));
            }
        }
    }
    Err("a response without a length".into())
}

/// One keep-alive connection sending `path` until `until`; returns the responses it got.
async fn connection(addr: String, path: &'static str, until: Instant) -> Result<u64, Error> {
    let mut stream = TcpStream::connect(&addr).await?;
    stream.set_nodelay(true)?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: */*\r\n\r\n");
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut done = 0;
    while Instant::now() < until {
        stream.write_all(request.as_bytes()).await?;
        let (status, body) = read_response(&mut stream, &mut buf).await?;
        if status != 200 || body == 0 {
            return Err(format!("{path} answered {status} with {body} bytes").into());
        }
        done += 1;
    }
    Ok(done)
}

/// What one route measured.
#[derive(Clone, Copy)]
struct Measured {
    per_second: f64,
    /// The server's CPU time per request, in µs.
    cpu_micros: Option<f64>,
}

/// Requests per second on `path` over `connections` connections for `seconds`.
async fn load(
    server: &Server,
    path: &'static str,
    connections: u64,
    seconds: u64,
) -> Result<Measured, Error> {
    let cpu_before = server.cpu_seconds();
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..connections)
        .map(|_| tokio::spawn(connection(server.addr.clone(), path, until)))
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_micros = cpu_before
        .zip(server.cpu_seconds())
        .map(|(before, after)| (after - before) * 1e6 / total.max(1) as f64);
    Ok(Measured {
        per_second: total as f64 / elapsed,
        cpu_micros,
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> Result<(), Error> {
    let connections = setting("HALLBAR_BENCH_CONNECTIONS", 8).max(1);
    let seconds = setting("HALLBAR_BENCH_SECONDS", 5).max(1);
    let rounds = setting("HALLBAR_BENCH_ROUNDS", 3).max(1);
    let server = Server::start()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!(
        "hallbar på {} (demokorpusen), {connections} anslutningar, {seconds} s per väg och omgång",
        server.addr
    );
    for path in ROUTES {
        runtime.block_on(load(&server, path, connections, 1))?; // warm up
    }
    let mut rates = vec![Vec::new(); ROUTES.len()];
    let mut ratios = vec![Vec::new(); ROUTES.len()];
    let mut cpu = vec![Vec::new(); ROUTES.len()];
    for round in 1..=rounds {
        let measured = ROUTES
            .iter()
            .map(|path| runtime.block_on(load(&server, path, connections, seconds)))
            .collect::<Result<Vec<Measured>, Error>>()?;
        let line: Vec<String> = ROUTES
            .iter()
            .zip(&measured)
            .map(|(path, m)| match m.cpu_micros {
                Some(micros) => format!("{path} {:.0}/s ({micros:.0} µs CPU)", m.per_second),
                None => format!("{path} {:.0}/s", m.per_second),
            })
            .collect();
        println!("  omgång {round}: {}", line.join(", "));
        for (i, m) in measured.iter().enumerate() {
            rates[i].push(m.per_second);
            ratios[i].push(m.per_second / measured[0].per_second);
            cpu[i].extend(m.cpu_micros);
        }
    }
    println!("median över {rounds} omgångar:");
    for (i, path) in ROUTES.iter().enumerate() {
        let (low, high) = ratios[i]
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), r| (l.min(*r), h.max(*r)));
        let cpu = if cpu[i].is_empty() {
            String::new()
        } else {
            format!(", serverns CPU {:.0} µs per förfrågan", median(&mut cpu[i]))
        };
        println!(
            "  {path:<24} {:>8.0} förfrågningar/s, {:>5.1} % av /healthz ({:.1}–{:.1} %){cpu}",
            median(&mut rates[i]),
            100.0 * median(&mut ratios[i]),
            100.0 * low,
            100.0 * high
        );
    }
    Ok(())
}
