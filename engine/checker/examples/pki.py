"""A throw-away certification authority and one signer per role, made in memory at run time.

Nothing here is a secret worth keeping: the keys live only in the generating process and are
never written; the CA certificate (public) can be written so a check can trust it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(2031, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class Kit:
    """The CA certificate (DER, to trust) and a pyHanko signer per role name."""

    ca_der: bytes
    signers: dict


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Exemple fsl-engine (jetable)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, key, issuer: str, issuer_key, ca: bool) -> x509.Certificate:
    usage = x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                          encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(issuer_key, hashes.SHA256()))


def make_kit(signer_names: dict[str, str]) -> Kit:
    """A fresh CA and, for each role, a signer whose certificate carries the given name."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certificate("AC de test fsl-engine", ca_key, "AC de test fsl-engine", ca_key, ca=True)
    ca_asn1 = asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER))
    made = {}
    for role, common_name in signer_names.items():
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(common_name, key, "AC de test fsl-engine", ca_key, ca=False)
        der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        made[role] = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs([ca_asn1]))
    return Kit(ca_der=ca_asn1.dump(), signers=made)


def ca_pem(kit: Kit) -> bytes:
    cert = x509.load_der_x509_certificate(kit.ca_der)
    return cert.public_bytes(serialization.Encoding.PEM)
