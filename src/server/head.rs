//! The first request head of a connection, read and checked before hyper sees it: a head
//! hyper would refuse with a bare status line (a URI too long, too many or too large
//! headers, bytes HTTP does not allow) gets the site's own answer instead.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};

use crate::http::edge::Refusal;

/// The longest request target accepted, in bytes.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// The largest request head (request line and headers) accepted, in bytes.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most headers a request may have.
pub const MAX_HEADERS: usize = 100;

/// What the start of a connection held.
#[derive(Debug)]
pub enum FirstHead {
    /// A readable request head: everything read so far, to hand on.
    Readable(Vec<u8>),
    /// A head to refuse; `api` when its path starts with `/api`.
    Refused { refusal: Refusal, api: bool },
    /// The client closed the connection before sending a head.
    Closed,
}

/// Reads until the end of the first request head (or the limit) and checks it.
pub async fn read_first<S: AsyncRead + Unpin>(stream: &mut S) -> io::Result<FirstHead> {
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(if buffer.is_empty() {
                FirstHead::Closed
            } else {
                check(buffer, true)
            });
        }
        buffer.extend_from_slice(&chunk[..n]);
        let complete = memchr::memmem::find(&buffer, b"\r\n\r\n").is_some();
        if complete || buffer.len() > MAX_HEAD_BYTES {
            return Ok(check(buffer, false));
        }
    }
}

/// Checks a head that is complete, too large, or cut off by the client.
fn check(buffer: Vec<u8>, cut_off: bool) -> FirstHead {
    let api = path_of(&buffer).is_some_and(|path| {
        path == b"/api" || path.starts_with(b"/api/") || path.starts_with(b"/api?")
    });
    let refused = |refusal| FirstHead::Refused { refusal, api };
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(&buffer) {
        Ok(httparse::Status::Complete(_)) => {
            let path = request.path.unwrap_or_default();
            if path.len() > MAX_URI_BYTES {
                refused(Refusal::UriTooLong)
            } else if axum::http::Uri::try_from(path).is_err() {
                // httparse lets through bytes (such as `"`) that a URI may not hold.
                refused(Refusal::Malformed)
            } else {
                FirstHead::Readable(buffer)
            }
        }
        Ok(httparse::Status::Partial) if cut_off => FirstHead::Readable(buffer),
        Ok(httparse::Status::Partial) => {
            // Over the limit without the end of the head: a request line that never ends is
            // a URI too long, anything else headers too large.
            let line_ends = memchr::memmem::find(&buffer, b"\r\n").is_some();
            refused(if line_ends {
                Refusal::HeadersTooLarge
            } else {
                Refusal::UriTooLong
            })
        }
        Err(httparse::Error::TooManyHeaders) => refused(Refusal::HeadersTooLarge),
        Err(_) => refused(Refusal::Malformed),
    }
}

/// The request target of a head's first line, as sent.
fn path_of(buffer: &[u8]) -> Option<&[u8]> {
    let line_end = memchr::memmem::find(buffer, b"\r\n").unwrap_or(buffer.len());
    let line = &buffer[..line_end];
    let mut parts = line.split(|&b| b == b' ');
    parts.next()?;
    parts.next()
}

/// A stream whose first bytes were already read: they are read again first.
pub struct Prefixed<S> {
    prefix: Vec<u8>,
    position: usize,
    inner: S,
}

impl<S> Prefixed<S> {
    pub fn new(prefix: Vec<u8>, inner: S) -> Self {
        Prefixed {
            prefix,
            position: 0,
            inner,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.position < self.prefix.len() {
            let rest = &self.prefix[self.position..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            self.position += n;
            if self.position == self.prefix.len() {
                self.prefix = Vec::new();
                self.position = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, data)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn first(bytes: &[u8]) -> FirstHead {
        let mut input = bytes;
        read_first(&mut input).await.expect("reading from memory")
    }

    fn refusal(head: FirstHead) -> (Refusal, bool) {
        match head {
            FirstHead::Refused { refusal, api } => (refusal, api),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[tokio::test]
    async fn readable_heads_are_handed_on_whole() {
        let request = b"GET /sok?q=dialog HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\n";
        match first(request).await {
            FirstHead::Readable(bytes) => assert_eq!(bytes, request),
            other => panic!("{other:?}"),
        }
        assert!(matches!(first(b"").await, FirstHead::Closed));
        // Cut off before the end: hyper decides (it waits, then times out).
        assert!(matches!(
            first(b"GET / HTTP/1.1\r\nHo").await,
            FirstHead::Readable(_)
        ));
    }

    #[tokio::test]
    async fn heads_hyper_would_refuse_bare_are_refused_here() {
        let long = format!(
            "GET /sok?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
            "a".repeat(MAX_URI_BYTES)
        );
        assert_eq!(
            refusal(first(long.as_bytes()).await),
            (Refusal::UriTooLong, false)
        );
        let endless = format!("GET /api/v1/sok?q={}", "a".repeat(MAX_HEAD_BYTES + 10));
        assert_eq!(
            refusal(first(endless.as_bytes()).await),
            (Refusal::UriTooLong, true)
        );
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-a: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(
            refusal(first(many.as_bytes()).await),
            (Refusal::HeadersTooLarge, false)
        );
        let large = format!(
            "GET / HTTP/1.1\r\nX-a: {}\r\n",
            "b".repeat(MAX_HEAD_BYTES + 10)
        );
        assert_eq!(
            refusal(first(large.as_bytes()).await),
            (Refusal::HeadersTooLarge, false)
        );
        assert_eq!(
            refusal(first(b"GET /api/v1/sok?q=\"x\" HTTP/1.1\r\nHost: x\r\n\r\n").await),
            (Refusal::Malformed, true)
        );
    }

    #[tokio::test]
    async fn a_prefixed_stream_reads_the_prefix_then_the_rest() {
        let mut stream = Prefixed::new(b"abc".to_vec(), &b"def"[..]);
        let mut all = Vec::new();
        stream.read_to_end(&mut all).await.expect("reading");
        assert_eq!(all, b"abcdef");
    }
}
