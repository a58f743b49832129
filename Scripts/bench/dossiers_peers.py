#!/usr/bin/env python3
"""Peers for `baocao bench dossiers`: the same per-unit aggregates as BaoCao's
DossierSummarizer, computed from the same dossier CSV with DuckDB and with pandas.

Usage: dossiers_peers.py FILE.csv --from 2023-12-15 --to 2024-03-14 [--engines duckdb,pandas]
Prints one JSON object: {engine: {"seconds": s, "aggregates": {unit: {counter: n}}}} or
{engine: {"error": "..."}} when the engine is not installed. Timing covers reading the CSV
and aggregating (not Python start-up or imports). pandas reads in chunks of 1,000,000 rows
so that its memory stays flat, like BaoCao's.

Rules (as in Sources/ReportingCore/Dossiers/DossierAccumulator.swift):
- received_*: "Ngày tiếp nhận" inside the window, both days in;
- finished_*: "Ngày trả kết quả" inside the window; on time = finished no later than due,
  comparing times only when both cells carry one, else days;
- procedures_online_service: distinct "Mã thủ tục" with Mức độ DVC Toàn trình / Một phần.
"""
import argparse
import json
import sys
import time

COUNTERS = ["received", "received_full", "received_full_online", "received_partial", "received_partial_online",
            "received_online", "received_with_fees", "received_paid_online", "finished", "finished_on_time",
            "finished_rated", "finished_satisfied", "procedures_online_service"]


def run_duckdb(path, low, high):
    import duckdb
    start = time.perf_counter()
    con = duckdb.connect()
    fmt = "['%d/%m/%Y %H:%M', '%d/%m/%Y']"
    sql = f"""
    WITH t AS (
      SELECT "Mã đơn vị" AS unit, "Mã thủ tục" AS proc, "Mức độ DVC" AS lvl, "Hình thức nộp" = 'Trực tuyến' AS online,
             CAST(strptime("Ngày tiếp nhận", {fmt}) AS DATE) AS rec,
             strptime("Hạn trả kết quả", {fmt}) AS due, length("Hạn trả kết quả") > 10 AS due_t,
             strptime("Ngày trả kết quả", {fmt}) AS fin, length("Ngày trả kết quả") > 10 AS fin_t,
             "Có nghĩa vụ tài chính" = 'Có' AS fees, "Thanh toán trực tuyến" = 'Có' AS paid, "Đánh giá" AS rating
      FROM read_csv('{path}', header = true, all_varchar = true)
    ), w AS (
      SELECT *, rec BETWEEN DATE '{low}' AND DATE '{high}' AS in_rec,
             coalesce(CAST(fin AS DATE) BETWEEN DATE '{low}' AND DATE '{high}', false) AS in_fin,
             CASE WHEN fin_t AND due_t THEN fin <= due ELSE CAST(fin AS DATE) <= CAST(due AS DATE) END AS on_time
      FROM t
    )
    SELECT unit,
      count(*) FILTER (WHERE in_rec) AS received,
      count(*) FILTER (WHERE in_rec AND lvl = 'Toàn trình') AS received_full,
      count(*) FILTER (WHERE in_rec AND lvl = 'Toàn trình' AND online) AS received_full_online,
      count(*) FILTER (WHERE in_rec AND lvl = 'Một phần') AS received_partial,
      count(*) FILTER (WHERE in_rec AND lvl = 'Một phần' AND online) AS received_partial_online,
      count(*) FILTER (WHERE in_rec AND online) AS received_online,
      count(*) FILTER (WHERE in_rec AND fees) AS received_with_fees,
      count(*) FILTER (WHERE in_rec AND fees AND paid) AS received_paid_online,
      count(*) FILTER (WHERE in_fin) AS finished,
      count(*) FILTER (WHERE in_fin AND on_time) AS finished_on_time,
      count(*) FILTER (WHERE in_fin AND rating IS NOT NULL AND rating <> '') AS finished_rated,
      count(*) FILTER (WHERE in_fin AND rating = 'Hài lòng') AS finished_satisfied,
      count(DISTINCT proc) FILTER (WHERE in_rec AND lvl IN ('Toàn trình', 'Một phần')) AS procedures_online_service
    FROM w GROUP BY unit
    """
    rows = con.execute(sql).fetchall()
    seconds = time.perf_counter() - start
    aggregates = {row[0]: dict(zip(COUNTERS, [int(v) for v in row[1:]])) for row in rows}
    return {"seconds": seconds, "threads": con.execute("SELECT current_setting('threads')").fetchone()[0], "aggregates": aggregates}


def run_pandas(path, low, high):
    import pandas as pd
    start = time.perf_counter()
    low_ts, high_ts = pd.Timestamp(low), pd.Timestamp(high)
    columns = ["Mã đơn vị", "Mã thủ tục", "Mức độ DVC", "Hình thức nộp", "Ngày tiếp nhận", "Hạn trả kết quả", "Ngày trả kết quả",
               "Có nghĩa vụ tài chính", "Thanh toán trực tuyến", "Đánh giá"]
    totals = None
    procedures = {}

    def parse(series):
        with_time = pd.to_datetime(series, format="%d/%m/%Y %H:%M", errors="coerce")
        return with_time.fillna(pd.to_datetime(series, format="%d/%m/%Y", errors="coerce")), series.str.len() > 10

    for chunk in pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False, chunksize=1_000_000):
        rec, _ = parse(chunk["Ngày tiếp nhận"])
        due, due_t = parse(chunk["Hạn trả kết quả"])
        fin, fin_t = parse(chunk["Ngày trả kết quả"])
        rec_day, due_day, fin_day = rec.dt.normalize(), due.dt.normalize(), fin.dt.normalize()
        in_rec = (rec_day >= low_ts) & (rec_day <= high_ts)
        in_fin = (fin_day >= low_ts) & (fin_day <= high_ts)
        on_time = ((fin_t & due_t) & (fin <= due)) | (~(fin_t & due_t) & (fin_day <= due_day))
        lvl, online = chunk["Mức độ DVC"], chunk["Hình thức nộp"] == "Trực tuyến"
        fees, paid, rating = chunk["Có nghĩa vụ tài chính"] == "Có", chunk["Thanh toán trực tuyến"] == "Có", chunk["Đánh giá"]
        full, partial = lvl == "Toàn trình", lvl == "Một phần"
        frame = pd.DataFrame({
            "unit": chunk["Mã đơn vị"],
            "received": in_rec, "received_full": in_rec & full, "received_full_online": in_rec & full & online,
            "received_partial": in_rec & partial, "received_partial_online": in_rec & partial & online,
            "received_online": in_rec & online, "received_with_fees": in_rec & fees, "received_paid_online": in_rec & fees & paid,
            "finished": in_fin, "finished_on_time": in_fin & on_time, "finished_rated": in_fin & (rating != ""),
            "finished_satisfied": in_fin & (rating == "Hài lòng"),
        })
        sums = frame.groupby("unit").sum()
        totals = sums if totals is None else totals.add(sums, fill_value=0)
        service = chunk.loc[in_rec & (full | partial), ["Mã đơn vị", "Mã thủ tục"]].drop_duplicates()
        for unit, proc in service.itertuples(index=False):
            procedures.setdefault(unit, set()).add(proc)
    seconds = time.perf_counter() - start
    aggregates = {}
    for unit, row in (totals if totals is not None else pd.DataFrame()).iterrows():
        values = {name: int(row[name]) for name in COUNTERS[:-1]}
        values["procedures_online_service"] = len(procedures.get(unit, ()))
        aggregates[unit] = values
    return {"seconds": seconds, "aggregates": aggregates}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--from", dest="low", required=True)
    parser.add_argument("--to", dest="high", required=True)
    parser.add_argument("--engines", default="duckdb,pandas")
    args = parser.parse_args()
    result = {}
    for engine in args.engines.split(","):
        runner = {"duckdb": run_duckdb, "pandas": run_pandas}.get(engine)
        if runner is None:
            result[engine] = {"error": "unknown engine"}
            continue
        try:
            result[engine] = runner(args.file, args.low, args.high)
        except ImportError as error:
            result[engine] = {"error": f"not installed: {error} (pip install duckdb pandas)"}
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
