//! What ACM reads from imported material, and the checks ImportCertificate makes before anything
//! is stored: exactly one PEM certificate, X.509 version 3, valid now; an unencrypted private
//! key that Berth's data plane can serve and that matches the certificate; a chain, if given,
//! whose certificates sign one another from the certificate up. Pure: the time is an argument.
//!
//! Berth's load-balancer nodes terminate TLS with rustls and ring, which sign with RSA keys of
//! 2048 to 4096 bits and EC keys on P-256 and P-384. ACM also imports RSA_1024 and
//! EC_secp521r1 certificates; Berth refuses them at import rather than accept a certificate no
//! listener could serve.

use base64::Engine as _;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::{AttributeTypeAndValue, SubjectPublicKeyInfo, X509Version};

/// The largest certificate, chain and key ACM takes, in bytes.
pub(super) const MAX_CERTIFICATE: usize = 32_768;
pub(super) const MAX_CHAIN: usize = 2_097_152;
pub(super) const MAX_PRIVATE_KEY: usize = 5_120;

/// The key algorithms Berth's load balancer serves, by ACM's names.
const SERVED_KEYS: &[&str] = &["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1"];

/// Why material cannot be imported: the message of ACM's `ValidationException`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Invalid(pub(super) String);

fn invalid(message: impl Into<String>) -> Invalid {
    Invalid(message.into())
}

/// What an X.509 certificate says, in ACM's terms.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Facts {
    /// The subject's common name, else the first subject alternative name.
    pub(super) domain_name: String,
    /// The domain name first, then every DNS name and IP address of the extension.
    pub(super) subject_alternative_names: Vec<String>,
    /// Lower-case hexadecimal bytes separated by colons.
    pub(super) serial: String,
    /// The issuer's organization, else its common name, else its whole name.
    pub(super) issuer: String,
    pub(super) subject: String,
    /// Epoch seconds.
    pub(super) not_before: f64,
    pub(super) not_after: f64,
    /// `RSA_2048`, `EC_prime256v1`, ...; `None` for a key ACM does not know.
    pub(super) key_algorithm: Option<&'static str>,
    /// `SHA256WITHRSA`, `SHA256WITHECDSA`, ... (the OID when unknown).
    pub(super) signature_algorithm: String,
    /// ACM's names of the key usages.
    pub(super) key_usages: Vec<&'static str>,
    /// ACM's names of the extended key usages, with their OIDs.
    pub(super) extended_key_usages: Vec<(&'static str, String)>,
}

/// Material that passed every check, as it is stored: each part PEM-encoded anew from what was
/// decoded, so nothing the caller wrapped around it (comments, bag attributes) is kept.
#[derive(Debug)]
pub(super) struct Checked {
    pub(super) certificate_pem: String,
    pub(super) chain_pem: String,
    pub(super) private_key_pem: String,
    pub(super) facts: Facts,
    /// The checked key algorithm (one of [`SERVED_KEYS`]).
    pub(super) key_algorithm: &'static str,
}

/// Checks material for ImportCertificate at `now` (epoch seconds).
pub(super) fn check(
    certificate: &[u8],
    private_key: &[u8],
    chain: Option<&[u8]>,
    now: f64,
) -> Result<Checked, Invalid> {
    if certificate.len() > MAX_CERTIFICATE {
        return Err(invalid(format!(
            "The certificate is larger than the {MAX_CERTIFICATE} bytes ACM takes."
        )));
    }
    if private_key.len() > MAX_PRIVATE_KEY {
        return Err(invalid(format!(
            "The private key is larger than the {MAX_PRIVATE_KEY} bytes ACM takes."
        )));
    }
    if chain.is_some_and(|c| c.len() > MAX_CHAIN) {
        return Err(invalid(format!(
            "The certificate chain is larger than the {MAX_CHAIN} bytes ACM takes."
        )));
    }
    let der = single_certificate(certificate)?;
    let (_, parsed) = x509_parser::parse_x509_certificate(&der)
        .map_err(|e| invalid(format!("The certificate is not a valid X.509 certificate: {e}.")))?;
    if parsed.version() != X509Version::V3 {
        return Err(invalid("The certificate must be an X.509 version 3 certificate."));
    }
    if parsed.issuer().iter_attributes().next().is_none() {
        return Err(invalid("The certificate's Issuer field must not be empty."));
    }
    let facts = facts_of(&parsed)?;
    if now < facts.not_before || now > facts.not_after {
        return Err(invalid(format!(
            "The certificate is not valid at the current time: it is valid from {} to {}.",
            api::query::iso8601(facts.not_before),
            api::query::iso8601(facts.not_after)
        )));
    }
    let key_algorithm = match facts.key_algorithm {
        Some(algorithm) if SERVED_KEYS.contains(&algorithm) => algorithm,
        Some(algorithm) => {
            return Err(invalid(format!(
                "The certificate's key algorithm {algorithm} is not supported: Berth's load balancer serves {}.",
                SERVED_KEYS.join(", ")
            )));
        }
        None => {
            return Err(invalid(format!(
                "The certificate's public key algorithm is not supported: Berth's load balancer serves {}.",
                SERVED_KEYS.join(", ")
            )));
        }
    };
    let key = private_key_of(private_key)?;
    let private_key_pem = pem(key_label(&key), key.secret_der());
    keys_match(&der, key)?;
    let chain_ders = match chain {
        Some(chain) => chain_of(chain)?,
        None => Vec::new(),
    };
    check_chain(&parsed, &chain_ders)?;
    Ok(Checked {
        certificate_pem: pem("CERTIFICATE", &der),
        chain_pem: chain_ders.iter().map(|c| pem("CERTIFICATE", c)).collect::<Vec<_>>().join(""),
        private_key_pem,
        facts,
        key_algorithm,
    })
}

/// The facts of a stored (already checked) PEM certificate.
pub(super) fn read(certificate_pem: &str) -> Result<Facts, Invalid> {
    let der = single_certificate(certificate_pem.as_bytes())?;
    let (_, parsed) = x509_parser::parse_x509_certificate(&der)
        .map_err(|e| invalid(format!("The certificate is not a valid X.509 certificate: {e}.")))?;
    facts_of(&parsed)
}

fn single_certificate(pem_text: &[u8]) -> Result<CertificateDer<'static>, Invalid> {
    let mut certificates = CertificateDer::pem_slice_iter(pem_text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("The certificate is not valid PEM: {e}.")))?;
    match certificates.len() {
        0 => Err(invalid(
            "The certificate field contains no PEM-encoded certificate (-----BEGIN CERTIFICATE-----).",
        )),
        1 => Ok(certificates.remove(0)),
        _ => Err(invalid(
            "The certificate field contains more than one certificate. You can specify only one certificate in this field; put the others in the certificate chain.",
        )),
    }
}

fn private_key_of(pem_text: &[u8]) -> Result<PrivateKeyDer<'static>, Invalid> {
    let text = String::from_utf8_lossy(pem_text);
    if text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(invalid(
            "The private key is encrypted: ACM imports only unencrypted private keys.",
        ));
    }
    PrivateKeyDer::from_pem_slice(pem_text).map_err(|e| {
        invalid(format!(
            "The private key is not a PEM-encoded PKCS #8, PKCS #1 or SEC 1 private key: {e}."
        ))
    })
}

fn key_label(key: &PrivateKeyDer<'_>) -> &'static str {
    match key {
        PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
        PrivateKeyDer::Sec1(_) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}

/// Whether `key` is the private half of the certificate's public key, as rustls checks it when
/// a listener is served.
fn keys_match(
    certificate: &CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> Result<(), Invalid> {
    let signing = rustls::crypto::ring::sign::any_supported_type(&key).map_err(|_| {
        invalid(format!(
            "The private key is not supported: Berth's load balancer serves {}.",
            SERVED_KEYS.join(", ")
        ))
    })?;
    rustls::sign::CertifiedKey::new(vec![certificate.clone()], signing).keys_match().map_err(
        |error| match error {
            rustls::Error::InconsistentKeys(rustls::InconsistentKeys::KeyMismatch) => {
                invalid("The private key does not match the public key in the certificate.")
            }
            error => invalid(format!(
                "Could not check that the private key matches the certificate: {error}."
            )),
        },
    )
}

fn chain_of(pem_text: &[u8]) -> Result<Vec<CertificateDer<'static>>, Invalid> {
    let chain = CertificateDer::pem_slice_iter(pem_text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("The certificate chain is not valid PEM: {e}.")))?;
    if chain.is_empty() {
        return Err(invalid(
            "The certificate chain contains no PEM-encoded certificate (-----BEGIN CERTIFICATE-----).",
        ));
    }
    Ok(chain)
}

/// Each certificate, from the imported one up, must be issued and signed by the next in the
/// chain. The chain may stop below the root.
fn check_chain(
    certificate: &X509Certificate<'_>,
    chain: &[CertificateDer<'_>],
) -> Result<(), Invalid> {
    let mut parsed = Vec::with_capacity(chain.len());
    for (i, der) in chain.iter().enumerate() {
        let (_, issuer) = x509_parser::parse_x509_certificate(der).map_err(|e| {
            invalid(format!(
                "Certificate {} of the certificate chain is not a valid X.509 certificate: {e}.",
                i + 1
            ))
        })?;
        parsed.push(issuer);
    }
    let mut current = certificate;
    for (i, issuer) in parsed.iter().enumerate() {
        let named = current.issuer().as_raw() == issuer.subject().as_raw();
        if !named || current.verify_signature(Some(issuer.public_key())).is_err() {
            return Err(invalid(format!(
                "Could not validate the certificate with the certificate chain: certificate {} of the chain ({}) did not issue {}.",
                i + 1,
                issuer.subject(),
                if i == 0 { "the certificate".to_owned() } else { format!("certificate {i}") }
            )));
        }
        current = issuer;
    }
    Ok(())
}

fn facts_of(certificate: &X509Certificate<'_>) -> Result<Facts, Invalid> {
    let extension = |e: x509_parser::error::X509Error| {
        invalid(format!("The certificate has an extension that cannot be read: {e}."))
    };
    let mut names = Vec::new();
    if let Some(san) = certificate.subject_alternative_name().map_err(extension)? {
        for name in &san.value.general_names {
            match name {
                GeneralName::DNSName(dns) => names.push((*dns).to_owned()),
                GeneralName::IPAddress(bytes) => names.extend(ip_address(bytes)),
                _ => {}
            }
        }
    }
    let common_name = first_text(certificate.subject().iter_common_name());
    let Some(domain_name) = common_name.or_else(|| names.first().cloned()) else {
        return Err(invalid(
            "The certificate names no domain: it has neither a subject common name nor a subject alternative name.",
        ));
    };
    let mut subject_alternative_names = vec![domain_name.clone()];
    for name in names {
        if !subject_alternative_names.contains(&name) {
            subject_alternative_names.push(name);
        }
    }
    let issuer = first_text(certificate.issuer().iter_organization())
        .or_else(|| first_text(certificate.issuer().iter_common_name()))
        .unwrap_or_else(|| certificate.issuer().to_string());
    let mut key_usages = Vec::new();
    if let Some(usage) = certificate.key_usage().map_err(extension)? {
        let usage = usage.value;
        for (present, name) in [
            (usage.digital_signature(), "DIGITAL_SIGNATURE"),
            (usage.non_repudiation(), "NON_REPUDIATION"),
            (usage.key_encipherment(), "KEY_ENCIPHERMENT"),
            (usage.data_encipherment(), "DATA_ENCIPHERMENT"),
            (usage.key_agreement(), "KEY_AGREEMENT"),
            (usage.key_cert_sign(), "CERTIFICATE_SIGNING"),
            (usage.crl_sign(), "CRL_SIGNING"),
            (usage.encipher_only(), "ENCIPHER_ONLY"),
            (usage.decipher_only(), "DECIPHER_ONLY"),
        ] {
            if present {
                key_usages.push(name);
            }
        }
    }
    let mut extended_key_usages = Vec::new();
    if let Some(usage) = certificate.extended_key_usage().map_err(extension)? {
        let usage = usage.value;
        for (present, name, oid) in [
            (usage.server_auth, "TLS_WEB_SERVER_AUTHENTICATION", "1.3.6.1.5.5.7.3.1"),
            (usage.client_auth, "TLS_WEB_CLIENT_AUTHENTICATION", "1.3.6.1.5.5.7.3.2"),
            (usage.code_signing, "CODE_SIGNING", "1.3.6.1.5.5.7.3.3"),
            (usage.email_protection, "EMAIL_PROTECTION", "1.3.6.1.5.5.7.3.4"),
            (usage.time_stamping, "TIME_STAMPING", "1.3.6.1.5.5.7.3.8"),
            (usage.ocsp_signing, "OCSP_SIGNING", "1.3.6.1.5.5.7.3.9"),
            (usage.any, "ANY", "2.5.29.37.0"),
        ] {
            if present {
                extended_key_usages.push((name, oid.to_owned()));
            }
        }
        for oid in &usage.other {
            let oid = oid.to_id_string();
            let name = match oid.as_str() {
                "1.3.6.1.5.5.7.3.5" => "IPSEC_END_SYSTEM",
                "1.3.6.1.5.5.7.3.6" => "IPSEC_TUNNEL",
                "1.3.6.1.5.5.7.3.7" => "IPSEC_USER",
                _ => "CUSTOM",
            };
            extended_key_usages.push((name, oid));
        }
    }
    let validity = certificate.validity();
    Ok(Facts {
        domain_name,
        subject_alternative_names,
        serial: certificate.raw_serial_as_string(),
        issuer,
        subject: certificate.subject().to_string(),
        not_before: validity.not_before.timestamp() as f64,
        not_after: validity.not_after.timestamp() as f64,
        key_algorithm: key_algorithm(certificate.public_key()),
        signature_algorithm: signature_algorithm(
            &certificate.signature_algorithm.algorithm.to_id_string(),
        ),
        key_usages,
        extended_key_usages,
    })
}

/// The first non-empty text value of a name's attributes.
fn first_text<'a, 'b: 'a>(
    mut values: impl Iterator<Item = &'a AttributeTypeAndValue<'b>>,
) -> Option<String> {
    values.find_map(|v| v.as_str().ok()).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn ip_address(bytes: &[u8]) -> Option<String> {
    match bytes.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(bytes).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(bytes).ok()?).to_string()),
        _ => None,
    }
}

/// ACM's name of a public key's algorithm and size.
fn key_algorithm(key: &SubjectPublicKeyInfo<'_>) -> Option<&'static str> {
    match key.algorithm.algorithm.to_id_string().as_str() {
        "1.2.840.113549.1.1.1" => {
            let Ok(PublicKey::RSA(rsa)) = key.parsed() else { return None };
            match modulus_bits(rsa.modulus) {
                1024 => Some("RSA_1024"),
                2048 => Some("RSA_2048"),
                3072 => Some("RSA_3072"),
                4096 => Some("RSA_4096"),
                _ => None,
            }
        }
        "1.2.840.10045.2.1" => {
            let curve = key.algorithm.parameters.as_ref()?.as_oid().ok()?.to_id_string();
            match curve.as_str() {
                "1.2.840.10045.3.1.7" => Some("EC_prime256v1"),
                "1.3.132.0.34" => Some("EC_secp384r1"),
                "1.3.132.0.35" => Some("EC_secp521r1"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The size in bits of an RSA modulus given as big-endian bytes (perhaps with leading zeros).
fn modulus_bits(modulus: &[u8]) -> usize {
    let significant = modulus.iter().position(|b| *b != 0).map_or(&[][..], |i| &modulus[i..]);
    match significant.first() {
        Some(first) => significant.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

fn signature_algorithm(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.5" => "SHA1WITHRSA",
        "1.2.840.113549.1.1.11" => "SHA256WITHRSA",
        "1.2.840.113549.1.1.12" => "SHA384WITHRSA",
        "1.2.840.113549.1.1.13" => "SHA512WITHRSA",
        "1.2.840.113549.1.1.10" => "SHA256WITHRSASSA_PSS",
        "1.2.840.10045.4.3.2" => "SHA256WITHECDSA",
        "1.2.840.10045.4.3.3" => "SHA384WITHECDSA",
        "1.2.840.10045.4.3.4" => "SHA512WITHECDSA",
        other => other,
    }
    .to_owned()
}

/// DER bytes as a PEM block with 64-character lines.
fn pem(label: &str, der: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The load balancer's test certificate (CN=localhost, EC P-256), its key and its CA.
    const CERT: &str = include_str!("../../../lb/tests/data/cert.pem");
    const KEY: &str = include_str!("../../../lb/tests/data/key.pem");
    const CA: &str = include_str!("../../../lb/tests/data/ca.pem");
    /// A self-signed RSA 2048 certificate (CN=rsa.example.com) and its key.
    const RSA_CERT: &str = include_str!("../../tests/data/acm/rsa-cert.pem");
    const RSA_KEY: &str = include_str!("../../tests/data/acm/rsa-key.pem");
    /// An EC P-256 key that belongs to no certificate.
    const OTHER_KEY: &str = include_str!("../../tests/data/acm/other-key.pem");

    /// 2026-12-08T00:00:00Z: within both test certificates' validity.
    const NOW: f64 = 1_796_688_000.0;

    #[test]
    fn the_fields_of_a_ca_signed_ec_certificate() {
        let checked = check(CERT.as_bytes(), KEY.as_bytes(), Some(CA.as_bytes()), NOW).unwrap();
        let facts = checked.facts;
        assert_eq!(facts.domain_name, "localhost");
        assert_eq!(facts.subject_alternative_names, ["localhost", "127.0.0.1"]);
        assert_eq!(facts.serial, "6f:36:08:50:c4:0d:0f:3d:ab:64:fd:17:45:4d:0d:4f:b0:ce:89:e8");
        assert_eq!(facts.issuer, "Berth test CA");
        assert_eq!(facts.subject, "CN=localhost");
        assert_eq!(facts.not_before, 1_796_673_969.0);
        assert_eq!(facts.not_after, 4_950_273_969.0);
        assert_eq!(facts.key_algorithm, Some("EC_prime256v1"));
        assert_eq!(checked.key_algorithm, "EC_prime256v1");
        assert_eq!(facts.signature_algorithm, "SHA256WITHECDSA");
        assert_eq!(facts.key_usages, Vec::<&str>::new());
        assert_eq!(
            facts.extended_key_usages,
            [("TLS_WEB_SERVER_AUTHENTICATION", "1.3.6.1.5.5.7.3.1".to_owned())]
        );
        // What is stored decodes to the same certificate, chain and key.
        assert_eq!(read(&checked.certificate_pem).unwrap(), facts);
        assert_eq!(checked.certificate_pem.trim(), CERT.trim());
        assert_eq!(checked.chain_pem.trim(), CA.trim());
        assert!(checked.private_key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(check(CERT.as_bytes(), checked.private_key_pem.as_bytes(), None, NOW).is_ok());
    }

    #[test]
    fn the_fields_of_a_self_signed_rsa_certificate() {
        let facts = check(RSA_CERT.as_bytes(), RSA_KEY.as_bytes(), None, NOW).unwrap().facts;
        assert_eq!(facts.domain_name, "rsa.example.com");
        assert_eq!(facts.subject_alternative_names, ["rsa.example.com", "www.rsa.example.com"]);
        assert_eq!(facts.issuer, "Berth Test");
        assert_eq!(facts.subject, "C=US, O=Berth Test, CN=rsa.example.com");
        assert_eq!(facts.key_algorithm, Some("RSA_2048"));
        assert_eq!(facts.signature_algorithm, "SHA256WITHRSA");
        assert_eq!(facts.key_usages, ["DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"]);
        let names: Vec<&str> = facts.extended_key_usages.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION"]);
    }

    fn refusal(certificate: &str, key: &str, chain: Option<&str>, now: f64) -> String {
        check(certificate.as_bytes(), key.as_bytes(), chain.map(str::as_bytes), now)
            .map(|_| ())
            .unwrap_err()
            .0
    }

    #[test]
    fn a_key_of_another_certificate_is_refused() {
        let message = refusal(CERT, OTHER_KEY, None, NOW);
        assert_eq!(message, "The private key does not match the public key in the certificate.");
        assert_eq!(
            refusal(RSA_CERT, KEY, None, NOW),
            "The private key does not match the public key in the certificate."
        );
    }

    #[test]
    fn malformed_material_is_refused_with_what_is_wrong() {
        assert!(
            refusal("not a certificate", KEY, None, NOW).contains("no PEM-encoded certificate")
        );
        let two = format!("{CERT}{CA}");
        assert!(refusal(&two, KEY, None, NOW).contains("more than one certificate"));
        assert!(refusal(CERT, "no key here", None, NOW).contains("not a PEM-encoded"));
        let encrypted =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        assert!(refusal(CERT, encrypted, None, NOW).contains("encrypted"));
        let garbled = CERT.replace("MIIBrTCC", "MIIBrTXX");
        assert!(refusal(&garbled, KEY, None, NOW).contains("not a valid X.509"), "{garbled}");
        let big = "A".repeat(MAX_PRIVATE_KEY + 1);
        assert!(refusal(CERT, &big, None, NOW).contains("larger than"));
    }

    #[test]
    fn only_a_certificate_valid_now_is_imported() {
        assert!(
            refusal(CERT, KEY, None, 1_796_673_968.0).contains("not valid at the current time")
        );
        let message = refusal(CERT, KEY, None, 4_950_273_970.0);
        assert!(
            message.contains("valid from 2026-12-07T20:06:09.000Z to 2126-11-13T20:06:09.000Z")
        );
    }

    #[test]
    fn a_chain_must_issue_the_certificate() {
        // The RSA certificate is self-signed: the CA did not issue it.
        let message = refusal(RSA_CERT, RSA_KEY, Some(CA), NOW);
        assert!(
            message.starts_with("Could not validate the certificate with the certificate chain")
        );
        // The certificate given as its own chain names the wrong issuer.
        assert!(refusal(CERT, KEY, Some(CERT), NOW).starts_with("Could not validate"));
        assert!(refusal(CERT, KEY, Some("garbage"), NOW).contains("no PEM-encoded certificate"));
    }

    #[test]
    fn rsa_modulus_sizes() {
        assert_eq!(modulus_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(modulus_bits(&[0x01, 0x00]), 9);
        assert_eq!(modulus_bits(&[]), 0);
    }
}
