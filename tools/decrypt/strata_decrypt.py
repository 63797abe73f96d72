#!/usr/bin/env python3
"""Decrypts a Strata backup without Strata (break-glass): docs/encryption.md specifies every byte.

usage: strata_decrypt.py BACKUP_DIR (--key KEYFILE | --data-key BASE64) --output DIR

BACKUP_DIR  a backup folder as Strata's local store writes it (the folder holding manifest.json), or a copy of
            the backup's blobs with the same relative paths.
--key       an RSA private key in PEM form (RSA-OAEP-256 wrappings), or a file holding a base64 256-bit AES key
            (A256GCM wrappings); the data key is unwrapped from manifest.json's encryption.wrappedKeys and the
            keys/*.json sidecars.
--data-key  the data key itself, base64 (for a Key Vault key-encryption key: unwrap it with
            az keyvault key decrypt --algorithm RSA-OAEP-256, see docs/encryption.md).
--output    a folder to write into; nothing in it is overwritten. Created 0700 with every file 0600 (the plaintext
            holds every Secret); an existing folder that group or others can access is refused, and a failed
            export deletes what it wrote.

Writes exactly what `strata decrypt --output DIR` writes: manifest.json as stored, resources/... (each object
document of resources.tar.gz; Secret values decrypted in place; what the API server sets -- status, metadata.uid,
resourceVersion, ownerReferences and the like -- removed, so `kubectl apply` creates it), and every other artifact
the manifest lists at its path, in plaintext. Needs Python 3 and the `cryptography` package (Debian: python3-cryptography).
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import stat
import struct
import sys
import tarfile

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCHEME = "strata-envelope/v1"
TOKEN_PREFIX = "strata:v1:"
MAGIC = b"STRATAE1"
HEADER_SIZE = 19
TAG_SIZE = 16
MAX_CHUNK_SIZE = 16 * 1024 * 1024
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
KEK_AAD = b"strata:v1:kek"
KEY_CHECK_LABEL = b"strata:v1:key-check"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# Removed so that `kubectl apply` can create each object (ServerSetFields): top-level, and in the top-level metadata.
SERVER_SET_TOP_LEVEL = ("status",)
SERVER_SET_METADATA = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink",
                       "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences")
# How deep objects and arrays may nest (ServerSetFields.MaxDepth): System.Text.Json's reader refuses a deeper document.
MAX_DEPTH = 256
BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")
COPY_BUFFER = 1 << 16


class Refused(Exception):
    """Something in the backup or the key cannot be used; the message names it (never a value)."""


# ---- data key --------------------------------------------------------------------------------------------------

def read_wrappings(backup, manifest):
    encryption = manifest.get("encryption") or {}
    wrappings = list(encryption.get("wrappedKeys") or [])
    keys_dir = os.path.join(backup, "keys")
    if os.path.isdir(keys_dir):
        for name in sorted(os.listdir(keys_dir)):
            if name.endswith(".json"):
                with open(os.path.join(keys_dir, name), "rb") as f:
                    wrappings.append(json.load(f))
    return wrappings


def load_key_file(path):
    with open(path, "rb") as f:
        data = f.read()
    if b"-----BEGIN" in data:
        if b"PUBLIC KEY-----" in data and b"PRIVATE KEY-----" not in data:
            raise Refused(f"'{path}' is an RSA public key: it wraps but cannot unwrap; use the private key")
        try:
            private = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError):
            raise Refused(f"'{path}' is not an unencrypted RSA private key in PEM form") from None
        if not isinstance(private, rsa.RSAPrivateKey):
            raise Refused(f"'{path}' is not an RSA key")
        spki = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return ("local:rsa:" + hashlib.sha256(spki).hexdigest()[:16], "RSA-OAEP-256", private)
    try:
        kek = base64.b64decode(data.strip(), validate=True)
    except binascii.Error:
        kek = b""
    if len(kek) != 32:
        raise Refused(f"'{path}' is neither an RSA private key in PEM form nor the base64 of a 32-byte AES key")
    return ("local:aes:" + hashlib.sha256(b"strata-kek-id" + kek).hexdigest()[:16], "A256GCM", kek)


def key_check_passes(data_key, key_check):
    """The manifest's encryption.keyCheck (base64 of HMAC-SHA256(data key, "strata:v1:key-check")); none: no check."""
    if key_check is None:
        return True
    expected = hmac.new(data_key, KEY_CHECK_LABEL, hashlib.sha256).digest()
    try:
        stored = base64.b64decode(key_check, validate=True)
    except binascii.Error:
        return False
    return hmac.compare_digest(expected, stored)


def unwrap(key_file, wrappings, key_check=None):
    key_id, algorithm, key = load_key_file(key_file)
    failed = []
    for wrapped in wrappings:
        if wrapped.get("keyId") != key_id or wrapped.get("algorithm") != algorithm:
            continue
        value = base64.b64decode(wrapped["value"])
        try:
            if algorithm == "RSA-OAEP-256":
                oaep = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
                data_key = key.decrypt(value, oaep)
            else:
                data_key = AESGCM(key).decrypt(value[:12], value[12:], KEK_AAD)
        except (ValueError, InvalidTag):
            raise Refused(f"key {key_id} cannot unwrap the data key (the wrapping is damaged)") from None
        if len(data_key) != 32:
            raise Refused(f"the data key unwrapped by {key_id} has {len(data_key)} bytes, not 32")
        if not key_check_passes(data_key, key_check):
            # A keys/ sidecar is not signed: anyone with a public key can wrap a key of their own. Try the next wrapping.
            failed.append(wrapped.get("keyId", "?"))
            continue
        return data_key
    if failed:
        raise Refused(f"key {key_id} unwraps a key that fails the manifest's keyCheck ({len(failed)} wrapping(s)): "
                      "not this backup's data key (a planted keys/ sidecar?)")
    listed = ", ".join(sorted({w.get("keyId", "?") for w in wrappings})) or "none"
    raise Refused(f"key {key_id} ({algorithm}) did not wrap this backup's data key; it is wrapped by: {listed}")


def parse_data_key(text):
    try:
        data_key = base64.b64decode(text.strip(), validate=True)
    except binascii.Error:
        raise Refused("--data-key is not base64") from None
    if len(data_key) != 32:
        raise Refused(f"--data-key has {len(data_key)} bytes, not 32")
    return data_key


# ---- paths -----------------------------------------------------------------------------------------------------

def unsafe(path):
    """Why the path could leave the output folder, or None (ResourceEntryPath.Unsafe)."""
    if path == "":
        return "empty path"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "absolute path"
    if "\\" in path or "\0" in path:
        return "backslash or NUL in path"
    for segment in path.rstrip("/").split("/"):
        if segment in ("", ".", ".."):
            return "path climbs out of its folder ('..')" if segment == ".." else "empty or '.' path segment"
    return None


def object_path_error(path):
    """Why an archive entry is not an object path of the layout, or None (ResourceEntryPath.TryParse)."""
    reason = unsafe(path)
    if reason:
        return reason
    segments = path.split("/")
    if segments[0] != "resources" or len(segments) not in (5, 7) or not segments[-1].endswith(".json"):
        return "not an object path (resources/{group}/{version}/{resource}/[namespaces/{namespace}/]{name}.json)"
    if len(segments) == 7 and segments[4] != "namespaces":
        return "not an object path: the fifth segment must be 'namespaces'"
    if segments[-1] == ".json":
        return "empty object name"
    return None


class Written:
    """What this run created under the output folder: folders 0700, files 0600 from their first byte (the plaintext
    holds every Secret), deleted again when the export fails so no partial plaintext is left behind."""

    def __init__(self):
        self.files = []
        self.folders = []

    def folder(self, path):
        missing = []
        while path and not os.path.isdir(path):
            missing.append(path)
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
        for folder in reversed(missing):
            os.mkdir(folder, 0o700)
            self.folders.append(folder)

    def delete(self):
        for path in reversed(self.files):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass
        for path in reversed(self.folders):
            try:
                os.rmdir(path)
            except OSError:
                pass


def open_output(output):
    """Refuses an output folder that exists and is open to group or others; the caller creates it 0700."""
    if os.path.isdir(output) and os.name == "posix":
        mode = stat.S_IMODE(os.stat(output).st_mode)
        if mode & 0o077:
            raise Refused(f"'{output}' exists with mode {mode:04o}, open to group or others: the plaintext written into it "
                          "would be readable by other users; give a new folder or 'chmod 700' it")


def create(output, relative, written):
    target = os.path.join(output, *relative.split("/"))
    written.folder(os.path.dirname(target))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    written.files.append(target)
    return os.fdopen(fd, "wb")


# ---- Secret values -----------------------------------------------------------------------------------------------

def decrypt_token(token, data_key, entry, field, name):
    where = f"{field}/{name}"
    encoded = token[len(TOKEN_PREFIX):]
    if not BASE64URL.match(encoded) or len(encoded) % 4 == 1:
        raise Refused(f"cannot decrypt '{entry}': {where} is not unpadded base64url after {TOKEN_PREFIX}")
    sealed = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    if len(sealed) < 12 + TAG_SIZE:
        raise Refused(f"cannot decrypt '{entry}': {where} is too short to be a token ({len(sealed)} bytes)")
    aad = f"{entry}#{field}/{name}".encode("utf-8")
    try:
        return AESGCM(data_key).decrypt(sealed[:12], sealed[12:], aad)
    except InvalidTag:
        raise Refused(f"cannot decrypt '{entry}': {where} does not authenticate") from None


def literal(field, plaintext):
    if field == "data":
        return b'"' + base64.b64encode(plaintext) + b'"'
    out = bytearray(b'"')
    for b in plaintext:
        if b in (0x22, 0x5C):
            out += bytes((0x5C, b))
        elif b < 0x20:
            out += b"\\u%04x" % b
        else:
            out.append(b)
    out += b'"'
    return bytes(out)


def encrypted_place(containers):
    """data.K / stringData.K of the top-level object, metadata.annotations[last-applied] (SecretValues)."""
    if len(containers) == 2 and all(c[0] for c in containers) and containers[0][1] in ("data", "stringData"):
        return containers[0][1], containers[1][1]
    if len(containers) == 3 and all(c[0] for c in containers) and \
            [c[1] for c in containers] == ["metadata", "annotations", LAST_APPLIED]:
        return "metadata.annotations", LAST_APPLIED
    return None


def reject_constant(name):
    raise ValueError(name)


def nesting_depth(document):
    """How deep the objects and arrays of the document nest (brackets inside strings do not count)."""
    depth = deepest = 0
    i, n = 0, len(document)
    while i < n:
        c = document[i]
        if c == 0x22:  # a string: to its closing quote, escapes skipped
            i += 1
            while i < n and document[i] != 0x22:
                i += 2 if document[i] == 0x5C else 1
        elif c in b"{[":
            depth += 1
            deepest = max(deepest, depth)
        elif c in b"}]":
            depth -= 1
        i += 1
    return deepest


def check_document(document):
    """Raises ValueError unless the document is JSON as System.Text.Json reads it (what strata decrypt accepts).

    Python's json alone takes more: bytes decoded with 'surrogatepass' or as UTF-16/32, a lone surrogate escape
    ("\\ud800") in a name or string, NaN and Infinity, nesting as deep as the recursion limit allows. Numbers stay
    text (Python's int would refuse thousands of digits, which JSON allows)."""
    text = document.decode("utf-8")  # strict: refuses bytes that are not UTF-8, and UTF-8-encoded surrogates
    if nesting_depth(document) > MAX_DEPTH:
        raise ValueError(f"nested deeper than {MAX_DEPTH}")
    # Each object as its list of (name, value) pairs: a duplicate name hides nothing from the walk below.
    pending = [json.loads(text, parse_constant=reject_constant, parse_int=str, parse_float=str, object_pairs_hook=list)]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            value.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate
        elif isinstance(value, (list, tuple)):
            pending.extend(value)


def decrypt_document(document, entry, data_key):
    """SecretValues.DecryptDocument: each token literal at an encrypted place becomes its plaintext's literal."""
    try:
        check_document(document)
    except (ValueError, RecursionError):
        raise Refused(f"cannot decrypt '{entry}': not a JSON document") from None
    out = bytearray()
    copied = 0
    containers = []  # [is_object, current property name]
    expect_name = False
    i, n = 0, len(document)
    while i < n:
        c = document[i]
        if c in b" \t\r\n:":
            i += 1
        elif c in b"{[":
            containers.append([c == 0x7B, None])
            expect_name = c == 0x7B
            i += 1
        elif c in b"}]":
            containers.pop()
            expect_name = False
            i += 1
        elif c == 0x2C:  # ,
            expect_name = bool(containers) and containers[-1][0]
            i += 1
        elif c == 0x22:  # "
            end = i + 1
            while document[end] != 0x22:
                end += 2 if document[end] == 0x5C else 1
            end += 1
            value = json.loads(document[i:end])
            if expect_name:
                containers[-1][1] = value
                expect_name = False
            else:
                place = encrypted_place(containers)
                if place and value.startswith(TOKEN_PREFIX):
                    out += document[copied:i]
                    out += literal(place[0], decrypt_token(value, data_key, entry, place[0], place[1]))
                    copied = end
            i = end
        else:  # a number, true, false or null
            while i < n and document[i] not in b" \t\r\n,]}":
                i += 1
    out += document[copied:]
    return bytes(out)


# ---- server-set members ------------------------------------------------------------------------------------------

def skip_space(document, i):
    while i < len(document) and document[i] in b" \t\r\n":
        i += 1
    return i


def string_end(document, i):
    """The index after the string literal that starts at i."""
    i += 1
    while document[i] != 0x22:
        i += 2 if document[i] == 0x5C else 1
    return i + 1


def value_end(document, i):
    """The index after the (valid) JSON value that starts at i."""
    if document[i] == 0x22:
        return string_end(document, i)
    if document[i] in b"{[":
        depth = 0
        while True:
            c = document[i]
            if c == 0x22:
                i = string_end(document, i)
                continue
            if c in b"{[":
                depth += 1
            elif c in b"}]":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
    while i < len(document) and document[i] not in b" \t\r\n,]}":
        i += 1
    return i


def drop_members(document, i, top_level, removals):
    """ServerSetFields.Strip on the object at i: adds the ranges to remove; returns the index after the object."""
    members = []  # (name start, value end, drop)
    i = skip_space(document, i + 1)
    while document[i] == 0x22:
        name_start = i
        i = string_end(document, i)
        name = json.loads(document[name_start:i])
        i = skip_space(document, skip_space(document, i) + 1)  # past the colon
        if top_level and name == "metadata" and document[i] == 0x7B:
            end = drop_members(document, i, False, removals)
        else:
            end = value_end(document, i)
        members.append((name_start, end, name in (SERVER_SET_TOP_LEVEL if top_level else SERVER_SET_METADATA)))
        i = skip_space(document, end)
        if document[i] == 0x2C:  # ,
            i = skip_space(document, i + 1)
    for index, (start, end, drop) in enumerate(members):
        if not drop:
            continue
        if index < len(members) - 1:
            removals.append((start, members[index + 1][0]))
            continue
        kept = [m for m in members[:index] if not m[2]]
        removals.append((kept[-1][1] if kept else members[0][0], end))
    return skip_space(document, i) + 1  # past the closing brace


def strip_server_set(document, entry):
    """The document without the members the API server sets, every other byte as stored (docs/encryption.md)."""
    try:
        check_document(document)
    except (ValueError, RecursionError):
        raise Refused(f"'{entry}': not a JSON document") from None
    start = skip_space(document, 0)
    if document[start] != 0x7B:
        return document
    removals = []
    drop_members(document, start, True, removals)
    out = bytearray()
    copied = 0
    for begin, end in sorted(removals):
        if begin > copied:
            out += document[copied:begin]
        copied = max(copied, end)
    out += document[copied:]
    return bytes(out)


# ---- artifacts ---------------------------------------------------------------------------------------------------

def chunks(source, data_key, path):
    """Plaintext of an artifact in the chunked format, chunk by chunk, each authenticated before it is returned."""
    header = source.read(HEADER_SIZE)
    chunk_size = struct.unpack(">I", header[8:12])[0] if len(header) == HEADER_SIZE else 0
    if header[:8] != MAGIC or not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise Refused(f"cannot decrypt '{path}': it does not start with a STRATAE1 header")
    aead = AESGCM(data_key)
    aad = header + path.encode("utf-8")
    carried = b""
    index = 0
    while True:
        want = chunk_size + TAG_SIZE + 1 - len(carried)
        buffer = carried + source.read(want)
        final = len(buffer) < chunk_size + TAG_SIZE + 1
        sealed = buffer if final else buffer[:-1]
        if len(sealed) < TAG_SIZE:
            raise Refused(f"cannot decrypt '{path}': it ends inside chunk {index} (truncated)")
        nonce = header[12:19] + struct.pack(">I", index) + (b"\x01" if final else b"\x00")
        try:
            yield aead.decrypt(nonce, sealed, aad)
        except InvalidTag:
            raise Refused(f"cannot decrypt '{path}': chunk {index} does not authenticate "
                          "(tampered, truncated, reordered, moved, or another data key)") from None
        if final:
            return
        carried = buffer[-1:]
        index += 1


def plain_blocks(source):
    while True:
        block = source.read(COPY_BUFFER)
        if not block:
            return
        yield block


def check(artifact, length, sha256):
    if length != artifact["size"] or sha256 != artifact["sha256"].lower():
        raise Refused(f"'{artifact['path']}': {length} bytes with SHA-256 {sha256}, "
                      f"but the manifest says {artifact['size']} bytes with {artifact['sha256']}")


def export_objects(archive_path, artifact, output, data_key, decrypt_secrets, summary, written):
    digest = hashlib.sha256()
    length = 0
    with open(archive_path, "rb") as f:
        for block in plain_blocks(f):
            digest.update(block)
            length += len(block)
    check(artifact, length, digest.hexdigest())
    try:
        with tarfile.open(archive_path, mode="r|gz") as tar:
            seen = set()
            for member in tar:
                if member.name in seen:
                    raise Refused(f"resources.tar.gz: entry '{member.name}': the same path appears twice")
                seen.add(member.name)
                if not member.isfile():
                    raise Refused(f"resources.tar.gz: entry '{member.name}': not a file; archives of objects hold only files")
                reason = object_path_error(member.name)
                if reason:
                    raise Refused(f"resources.tar.gz: entry '{member.name}': {reason}")
                if member.size > MAX_DOCUMENT_BYTES:
                    raise Refused(f"resources.tar.gz: entry '{member.name}': {member.size} bytes, more than any object can be")
                content = tar.extractfile(member).read()
                segments = member.name.split("/")
                if decrypt_secrets and segments[1] == "core" and segments[3] == "secrets":
                    content = decrypt_document(content, member.name, data_key)
                    summary["secrets"] += 1
                content = strip_server_set(content, member.name)
                with create(output, member.name, written) as out:
                    out.write(content)
                summary["files"] += 1
                summary["bytes"] += len(content)
    except (tarfile.TarError, EOFError, OSError) as e:
        if isinstance(e, FileExistsError):
            raise
        raise Refused(f"resources.tar.gz: not a readable tar.gz archive ({e})") from None


def export(backup, data_key, output):
    with open(os.path.join(backup, "manifest.json"), "rb") as f:
        manifest_bytes = f.read()
    manifest = json.loads(manifest_bytes)
    encryption = manifest.get("encryption")
    if encryption and encryption.get("scheme") != SCHEME:
        raise Refused(f"manifest.json: encryption scheme '{encryption.get('scheme')}' is not {SCHEME}")
    decrypt_secrets = bool(encryption and encryption.get("secretValues"))
    encrypted = set(encryption.get("encryptedArtifacts") or []) if encryption else set()
    if (decrypt_secrets or encrypted) and data_key is None:
        raise Refused("the backup is encrypted: give --key or --data-key")
    summary = {"files": 1, "bytes": len(manifest_bytes), "secrets": 0}
    open_output(output)
    written = Written()
    try:
        export_all(backup, manifest, manifest_bytes, data_key, output, decrypt_secrets, encrypted, summary, written)
    except BaseException:
        written.delete()
        raise
    return summary


def export_all(backup, manifest, manifest_bytes, data_key, output, decrypt_secrets, encrypted, summary, written):
    written.folder(output)
    with create(output, "manifest.json", written) as out:
        out.write(manifest_bytes)
    for artifact in manifest.get("artifacts") or []:
        path = artifact["path"]
        reason = unsafe(path)
        if reason:
            raise Refused(f"'{path}': the manifest lists an unsafe path: {reason}")
        source_path = os.path.join(backup, *path.split("/"))
        if path == "resources.tar.gz":
            export_objects(source_path, artifact, output, data_key, decrypt_secrets, summary, written)
            continue
        digest = hashlib.sha256()
        length = 0
        with open(source_path, "rb") as source, create(output, path, written) as out:
            blocks = chunks(source, data_key, path) if path in encrypted else plain_blocks(source)
            for block in blocks:
                digest.update(block)
                length += len(block)
                out.write(block)
        check(artifact, length, digest.hexdigest())
        summary["files"] += 1
        summary["bytes"] += length


def main(argv=None):
    parser = argparse.ArgumentParser(prog="strata_decrypt.py", description="Decrypts a Strata backup folder (docs/encryption.md).")
    parser.add_argument("backup", metavar="BACKUP_DIR")
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument("--key", metavar="KEYFILE", help="RSA private key (PEM) or a file with a base64 AES-256 key")
    keys.add_argument("--data-key", metavar="BASE64", help="the backup's data key, base64")
    parser.add_argument("--output", metavar="DIR", required=True)
    args = parser.parse_args(argv)
    try:
        with open(os.path.join(args.backup, "manifest.json"), "rb") as f:
            manifest = json.load(f)
        data_key = None
        key_check = (manifest.get("encryption") or {}).get("keyCheck")
        if args.data_key:
            data_key = parse_data_key(args.data_key)
            if not key_check_passes(data_key, key_check):
                raise Refused("--data-key fails the manifest's keyCheck: it is not this backup's data key")
        elif args.key and manifest.get("encryption"):
            data_key = unwrap(args.key, read_wrappings(args.backup, manifest), key_check)
        summary = export(args.backup, data_key, args.output)
    except Refused as e:
        print(f"strata_decrypt: {e}", file=sys.stderr)
        return 1
    except FileExistsError as e:
        print(f"strata_decrypt: '{e.filename}' exists; nothing is overwritten", file=sys.stderr)
        return 1
    except FileNotFoundError as e:
        print(f"strata_decrypt: '{e.filename}' does not exist", file=sys.stderr)
        return 1
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        print(f"strata_decrypt: manifest.json or a keys/ sidecar is not what Strata writes ({type(e).__name__})", file=sys.stderr)
        return 1
    print(f"wrote {summary['files']} files ({summary['bytes']} bytes) to {args.output}; "
          f"{summary['secrets']} Secrets decrypted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
