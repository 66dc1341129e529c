"""Listing a directory with sizes and modification times. MLSD (RFC 3659) says it all in one exchange, in
UTC; servers without it are asked NLST, then SIZE and MDTM for each name."""

from __future__ import annotations

import ftplib
import re
from datetime import UTC, datetime

from productsmanager.domain.imports.ftp_source import RemoteFile

_FTP_TIME = re.compile(r"^(\d{14})(?:\.(\d+))?$")
_NOT_UNDERSTOOD = ("500", "501", "502", "504")  # the command (or its OPTS MLST) is not implemented
_NO_FILES = ("450", "550")  # what several servers answer to NLST in an empty directory


def list_directory(ftp: ftplib.FTP) -> list[RemoteFile]:
    """The regular files of the current directory; entries whose size or time cannot be read are left out."""
    try:
        entries = list(ftp.mlsd(facts=["type", "size", "modify"]))
    except ftplib.error_perm as error:
        if not str(error).startswith(_NOT_UNDERSTOOD):
            raise
        return _listed_by_names(ftp)
    files: list[RemoteFile] = []
    unclear: list[str] = []  # files listed without a readable size or time
    for name, facts in entries:
        if facts.get("type", "").lower() == "file":
            file = _from_facts(name, facts)
            if file is None:
                unclear.append(name)
            else:
                files.append(file)
    return files + _asked_each(ftp, unclear)


def _from_facts(name: str, facts: dict[str, str]) -> RemoteFile | None:
    try:
        return RemoteFile(name=name, size=int(facts["size"]), modified_at=ftp_time(facts["modify"]))
    except (KeyError, ValueError):
        return None


def _listed_by_names(ftp: ftplib.FTP) -> list[RemoteFile]:
    try:
        names = ftp.nlst()
    except (ftplib.error_perm, ftplib.error_temp) as error:
        if str(error).startswith(_NO_FILES):
            return []
        raise
    names = [path.rsplit("/", 1)[-1] for path in names]  # some servers answer NLST with paths
    return _asked_each(ftp, [name for name in names if name not in ("", ".", "..")])


def _asked_each(ftp: ftplib.FTP, names: list[str]) -> list[RemoteFile]:
    if not names:
        return []
    ftp.voidcmd("TYPE I")  # sizes are in bytes in binary mode only; many servers refuse SIZE in ASCII mode
    return [file for file in (_asked(ftp, name) for name in names) if file is not None]


def _asked(ftp: ftplib.FTP, name: str) -> RemoteFile | None:
    """SIZE and MDTM of one name; None for a directory or a file removed meanwhile (both answer 550)."""
    try:
        size = ftp.size(name)
        modified = ftp.sendcmd(f"MDTM {name}")
    except ftplib.error_perm as error:
        if str(error).startswith("55"):
            return None
        raise
    try:
        return RemoteFile(name=name, size=size, modified_at=ftp_time(modified[4:])) if size is not None else None
    except ValueError:
        return None


def ftp_time(value: str) -> datetime:
    """`YYYYMMDDHHMMSS[.sss]` (MLSD's modify fact and MDTM's answer), which RFC 3659 defines as UTC."""
    match = _FTP_TIME.match(value.strip())
    if match is None:
        raise ValueError(f"not an FTP time: {value!r}")
    stamp = datetime.strptime(match[1], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    fraction = (match[2] or "")[:6].ljust(6, "0")
    return stamp.replace(microsecond=int(fraction))
