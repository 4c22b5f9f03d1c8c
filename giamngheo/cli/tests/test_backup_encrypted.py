"""`backup --encrypt` and the restore of an encrypted backup, through the real commands, on SQLite
and on PostgreSQL: a round trip; a wrong key, a missing key and an altered file refused with the
database left as it was."""

from __future__ import annotations

from .subprocess_helpers import count, django_exec, run

KEY = "mật khẩu sao lưu của xã 2026"


def _address(env) -> str:
    return django_exec(
        env, "c.execute('SELECT address FROM registry_household ORDER BY id LIMIT 1'); print(c.fetchone()[0])"
    )


def _refused(done, *words):
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def test_encrypted_backup_round_trip_and_refusals(subprocess_database, tmp_path):
    env = subprocess_database
    assert run(env, "init").returncode == 0
    pop = tmp_path / "pop"
    assert run(env, "synth", "--province", "14", "--households", "80", "--seed", "4", "--out", str(pop)).returncode == 0
    assert run(env, "load", str(pop)).returncode == 0
    key_file = tmp_path / "khoa.txt"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    backup = tmp_path / "sao-luu.bak.enc"
    done = run(env, "backup", "--output", str(backup), "--encrypt", "--key-file", str(key_file))
    assert done.returncode == 0, done.stderr
    assert "encrypted" in done.stdout
    data = backup.read_bytes()
    assert data.startswith(b"GIAMNGHEO-ENC") and b"SQLite format" not in data and b"PGDMP" not in data
    assert b"registry_household" not in data  # neither the schema nor the rows can be read
    assert not list((tmp_path / "backups").glob(".backup-plain-*"))  # no plaintext left behind
    original = _address(env)

    django_exec(
        env,
        "c.execute(\"UPDATE registry_household SET address = 'kept' WHERE id = (SELECT MIN(id) FROM registry_household)\")",
    )
    # no key: refused, and says how to give one (stdin is not a terminal here)
    _refused(run(env, "restore", str(backup)), "encrypted backup", "--key-file")
    # a wrong key: refused before anything is replaced
    wrong = tmp_path / "sai.txt"
    wrong.write_text("một khoá khác hẳn\n", encoding="utf-8")
    _refused(run(env, "restore", str(backup), "--key-file", str(wrong)), "wrong key", "Sai khoá")
    # an altered file (one byte in the middle), and a file cut short: refused
    altered = tmp_path / "altered.enc"
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x40
    altered.write_bytes(bytes(flipped))
    _refused(run(env, "restore", str(altered), "--key-file", str(key_file)), "altered", "đã bị sửa")
    cut = tmp_path / "cut.enc"
    cut.write_bytes(data[: len(data) - 100])
    _refused(run(env, "restore", str(cut), "--key-file", str(key_file)), "altered")
    assert _address(env) == "kept" and count(env, "registry_household") == 80
    assert not list((tmp_path / "backups").glob(".restore-plain-*"))

    # the right key, from the environment variable: restored
    done = run({**env, "GIAMNGHEO_BACKUP_KEY_FILE": str(key_file)}, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert _address(env) == original and count(env, "registry_household") == 80
    assert not list((tmp_path / "backups").glob(".restore-plain-*"))
    verbs = django_exec(
        env, "c.execute('SELECT verb FROM core_auditevent ORDER BY id DESC LIMIT 1'); print(c.fetchone()[0])"
    )
    assert verbs == "restore"
