//! Accounts' secrets and rules: passwords (argon2id), e-mail addresses, random tokens.

pub mod email;
pub mod password;
pub mod tokens;
