"""MariaDB stored functions behind the translated SingleStore functions.

Installed by Engine.install() into the catalog schema. They keep the
rewritten SQL short and evaluate each argument once.
"""

import re

from .catalog import SCHEMA

_EXPRESSION_ROUTINE = re.compile(
    r"^CREATE FUNCTION \{s\}\.\w+\((.*?)\)\s*RETURNS .*? DETERMINISTIC\s+RETURN (.*)$",
    re.S,
)

_ROUTINES = {
    # SingleStore stores JSON normalised; for strings that means characters,
    # not \uXXXX escapes (JSON clients such as Python's json.dumps escape
    # every non-ASCII character). Escapes of control characters, quotes,
    # backslashes and lone surrogates stay, so the text remains valid JSON.
    # Keys then match the plain-text key paths the lookups build.
    "json_unescape": r"""
CREATE FUNCTION {s}.json_unescape(v LONGTEXT CHARSET utf8mb4)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
BEGIN
  DECLARE result LONGTEXT CHARSET utf8mb4 DEFAULT '';
  DECLARE i BIGINT DEFAULT 1;
  DECLARE j BIGINT;
  DECLARE cp INT;
  DECLARE lo INT;
  IF v IS NULL OR LOCATE('\\u', v) = 0 THEN RETURN v; END IF;
  scan: LOOP
    SET j = LOCATE('\\', v, i);
    IF j = 0 THEN RETURN CONCAT(result, SUBSTRING(v, i)); END IF;
    SET result = CONCAT(result, SUBSTRING(v, i, j - i));
    IF SUBSTRING(v, j + 1, 1) <> 'u' THEN
      SET result = CONCAT(result, SUBSTRING(v, j, 2));
      SET i = j + 2;
      ITERATE scan;
    END IF;
    SET cp = CONV(SUBSTRING(v, j + 2, 4), 16, 10);
    SET i = j + 6;
    IF cp BETWEEN 55296 AND 56319 AND SUBSTRING(v, i, 2) = '\\u' THEN
      SET lo = CONV(SUBSTRING(v, i + 2, 4), 16, 10);
      IF lo BETWEEN 56320 AND 57343 THEN
        SET cp = 65536 + (cp - 55296) * 1024 + (lo - 56320);
        SET i = i + 6;
      END IF;
    END IF;
    IF cp < 32 OR cp IN (34, 92) OR cp BETWEEN 55296 AND 57343 THEN
      SET result = CONCAT(result, SUBSTRING(v, j, i - j));
    ELSE
      SET result = CONCAT(result, CONVERT(CHAR(cp USING utf32) USING utf8mb4));
    END IF;
  END LOOP scan;
END""",
    # What a JSON column stores: valid JSON compacted and unescaped; invalid
    # text is left for the column's json_valid CHECK to refuse.
    "json_store": """
CREATE FUNCTION {s}.json_store(v LONGTEXT CHARSET utf8mb4)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
RETURN IF(JSON_VALID(v), {s}.json_unescape(JSON_COMPACT(v)), v)""",
    # JSON_EXTRACT_STRING: strings unquoted, JSON null and missing paths NULL,
    # other values as their compact JSON text.
    "json_string": """
CREATE FUNCTION {s}.json_string(v LONGTEXT CHARSET utf8mb4)
RETURNS LONGTEXT CHARSET utf8mb4 COLLATE utf8mb4_bin DETERMINISTIC
RETURN CASE
  WHEN v IS NULL OR JSON_TYPE(v) = 'NULL' THEN NULL
  WHEN JSON_TYPE(v) = 'STRING' THEN JSON_UNQUOTE(v)
  ELSE JSON_COMPACT(v) END""",
    # An object member by name, compared as bytes, for names MariaDB's path
    # syntax cannot quote: a name starting with '-' ('$."-1"' finds nothing).
    # JSON_KEYS and '$.*' list the members in the same order.
    "json_member": """
CREATE FUNCTION {s}.json_member(doc LONGTEXT CHARSET utf8mb4,
  k LONGTEXT CHARSET utf8mb4)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
BEGIN
  DECLARE names LONGTEXT CHARSET utf8mb4 DEFAULT JSON_KEYS(doc);
  DECLARE i BIGINT DEFAULT 0;
  WHILE i < JSON_LENGTH(names) DO
    IF CAST(JSON_UNQUOTE(JSON_EXTRACT(names, CONCAT('$[', i, ']'))) AS BINARY)
        = CAST(k AS BINARY) THEN
      RETURN JSON_EXTRACT(JSON_EXTRACT(doc, '$.*'), CONCAT('$[', i, ']'));
    END IF;
    SET i = i + 1;
  END WHILE;
  RETURN NULL;
END""",
    # One key-path step: a string of digits indexes an array, any other key
    # names an object member; NULL when the step does not match.
    "json_step": """
CREATE FUNCTION {s}.json_step(doc LONGTEXT CHARSET utf8mb4,
  k LONGTEXT CHARSET utf8mb4)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
RETURN CASE
  WHEN doc IS NULL OR k IS NULL OR NOT JSON_VALID(doc) THEN NULL
  WHEN JSON_TYPE(doc) = 'ARRAY' THEN
    IF(k REGEXP '^[0-9]+$',
       JSON_EXTRACT(doc, CONCAT('$[', CAST(k AS UNSIGNED), ']')), NULL)
  WHEN JSON_TYPE(doc) = 'OBJECT' AND k LIKE '-%' THEN {s}.json_member(doc, k)
  WHEN JSON_TYPE(doc) = 'OBJECT' THEN JSON_EXTRACT(doc,
    CONCAT('$."', REPLACE(REPLACE(k, '\\\\', '\\\\\\\\'), '"', '\\\\"'), '"'))
  ELSE NULL END""",
    # JSON_EXTRACT_DOUBLE: numbers, numeric strings, booleans as 1/0; the
    # docs do not say what other types give, NULL here (KNOWN_GAPS.md).
    "json_double": """
CREATE FUNCTION {s}.json_double(v LONGTEXT CHARSET utf8mb4)
RETURNS DOUBLE DETERMINISTIC
RETURN CASE
  WHEN v IS NULL THEN NULL
  WHEN JSON_TYPE(v) IN ('INTEGER', 'DOUBLE', 'UNSIGNED INTEGER') THEN v + 0e0
  WHEN JSON_TYPE(v) = 'BOOLEAN' THEN IF(v = 'true', 1e0, 0e0)
  WHEN JSON_TYPE(v) = 'STRING' AND JSON_UNQUOTE(v) REGEXP
    '^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$'
    THEN JSON_UNQUOTE(v) + 0e0
  ELSE NULL END""",
    # JSON_EXTRACT_BIGINT: floats rounded half away from zero, booleans 1/0,
    # JSON null NULL, any other type 0 (D/db/v9.1/reference/sql-reference/
    # json-functions/json-extract-type).
    "json_bigint": """
CREATE FUNCTION {s}.json_bigint(v LONGTEXT CHARSET utf8mb4)
RETURNS BIGINT DETERMINISTIC
RETURN CASE
  WHEN v IS NULL THEN NULL
  WHEN JSON_TYPE(v) IN ('INTEGER', 'UNSIGNED INTEGER') THEN CAST(v AS SIGNED)
  WHEN JSON_TYPE(v) = 'DOUBLE' THEN CAST(ROUND(CAST(v AS DECIMAL(65, 10))) AS SIGNED)
  WHEN JSON_TYPE(v) = 'BOOLEAN' THEN IF(v = 'true', 1, 0)
  WHEN JSON_TYPE(v) = 'NULL' THEN NULL
  ELSE 0 END""",
    # JSON_GET_TYPE: JavaScript type names, every number is 'double', and
    # SQL NULL for invalid JSON (D/db/v9.1/reference/sql-reference/
    # json-functions/json-get-type).
    "json_get_type": """
CREATE FUNCTION {s}.json_get_type(v LONGTEXT CHARSET utf8mb4)
RETURNS VARCHAR(16) CHARSET utf8mb4 DETERMINISTIC
RETURN CASE WHEN v IS NULL OR NOT JSON_VALID(v) THEN NULL ELSE CASE JSON_TYPE(v)
  WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array'
  WHEN 'STRING' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean'
  WHEN 'NULL' THEN 'null' ELSE 'double' END END""",
    # JSON_ARRAY_CONTAINS_*: top-level elements only; mode 'S', 'D' or 'J'.
    "json_array_contains": """
CREATE FUNCTION {s}.json_array_contains(arr LONGTEXT CHARSET utf8mb4,
  needle LONGTEXT CHARSET utf8mb4, mode CHAR(1))
RETURNS TINYINT DETERMINISTIC
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE n INT;
  DECLARE e LONGTEXT CHARSET utf8mb4;
  IF arr IS NULL OR needle IS NULL THEN RETURN NULL; END IF;
  IF JSON_TYPE(arr) <> 'ARRAY' THEN RETURN 0; END IF;
  SET n = JSON_LENGTH(arr);
  WHILE i < n DO
    SET e = JSON_EXTRACT(arr, CONCAT('$[', i, ']'));
    IF mode = 'S' AND JSON_TYPE(e) = 'STRING'
       AND CAST(JSON_UNQUOTE(e) AS BINARY) = CAST(needle AS BINARY) THEN RETURN 1;
    ELSEIF mode = 'D' AND JSON_TYPE(e) IN ('INTEGER', 'DOUBLE', 'UNSIGNED INTEGER')
       AND e + 0e0 = needle + 0e0 THEN RETURN 1;
    ELSEIF mode = 'J' AND JSON_EQUALS(e, needle) THEN RETURN 1;
    END IF;
    SET i = i + 1;
  END WHILE;
  RETURN 0;
END""",
    # DOT_PRODUCT and EUCLIDEAN_DISTANCE over JSON array text.
    "vector_op": """
CREATE FUNCTION {s}.vector_op(a LONGTEXT CHARSET utf8mb4,
  b LONGTEXT CHARSET utf8mb4, op CHAR(1))
RETURNS DOUBLE DETERMINISTIC
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE n INT;
  DECLARE acc DOUBLE DEFAULT 0;
  DECLARE x DOUBLE;
  DECLARE y DOUBLE;
  IF a IS NULL OR b IS NULL THEN RETURN NULL; END IF;
  SET n = JSON_LENGTH(a);
  IF n IS NULL OR JSON_LENGTH(b) IS NULL OR n <> JSON_LENGTH(b) THEN
    SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1706,
      MESSAGE_TEXT = 'Vector arguments must be JSON arrays of the same length';
  END IF;
  WHILE i < n DO
    SET x = JSON_EXTRACT(a, CONCAT('$[', i, ']')) + 0e0;
    SET y = JSON_EXTRACT(b, CONCAT('$[', i, ']')) + 0e0;
    SET acc = acc + IF(op = 'D', x * y, (x - y) * (x - y));
    SET i = i + 1;
  END WHILE;
  RETURN IF(op = 'D', acc, SQRT(acc));
END""",
    # HIGHLIGHT (D/cloud/reference/sql-reference/full-text-search-functions/
    # highlight/): {"fragments": [{"offset", "unique_term_count", "text"}]}
    # over fragments of highlight_fragment_size (100) characters that hold a
    # query word, the words in <b></b>; NULL when none does. `words` is the
    # JSON array of the query's words (lucene.highlight_words).
    "highlight": r"""
CREATE FUNCTION {s}.highlight(doc LONGTEXT CHARSET utf8mb4,
  words LONGTEXT CHARSET utf8mb4, maxn BIGINT)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
BEGIN
  DECLARE pos BIGINT DEFAULT 0;
  DECLARE n BIGINT DEFAULT 0;
  DECLARE i INT;
  DECLARE unique_terms INT;
  DECLARE frag LONGTEXT CHARSET utf8mb4;
  DECLARE marked LONGTEXT CHARSET utf8mb4;
  DECLARE word LONGTEXT CHARSET utf8mb4;
  DECLARE found LONGTEXT CHARSET utf8mb4 DEFAULT '[]';
  IF doc IS NULL THEN RETURN NULL; END IF;
  WHILE pos < CHAR_LENGTH(doc) AND (maxn IS NULL OR n < maxn) DO
    SET frag = SUBSTRING(doc, pos + 1, 100);
    SET marked = frag;
    SET unique_terms = 0;
    SET i = 0;
    WHILE i < JSON_LENGTH(words) DO
      SET word = JSON_UNQUOTE(JSON_EXTRACT(words, CONCAT('$[', i, ']')));
      IF frag REGEXP CONCAT('(?i)\\b', word, '\\b') THEN
        SET unique_terms = unique_terms + 1;
        SET marked = REGEXP_REPLACE(marked, CONCAT('(?i)\\b(', word, ')\\b'),
          '<b>\\1</b>');
      END IF;
      SET i = i + 1;
    END WHILE;
    IF unique_terms > 0 THEN
      SET found = JSON_ARRAY_APPEND(found, '$', JSON_EXTRACT(CONCAT(
        '{{"offset": ', pos, ', "unique_term_count": ', unique_terms,
        ', "text": ', JSON_QUOTE(marked), '}}'), '$'));
      SET n = n + 1;
    END IF;
    SET pos = pos + 100;
  END WHILE;
  IF n = 0 THEN RETURN NULL; END IF;
  RETURN JSON_OBJECT('fragments', JSON_EXTRACT(found, '$'));
END""",
    # Checks a JSON array against VECTOR(n) and returns it compact.
    "to_vector": """
CREATE FUNCTION {s}.to_vector(v LONGTEXT CHARSET utf8mb4, n INT)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  IF JSON_VALID(v) = 0 OR JSON_TYPE(v) <> 'ARRAY' OR JSON_LENGTH(v) <> n THEN
    SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1706,
      MESSAGE_TEXT = 'Invalid VECTOR value: not a JSON array of the declared length';
  END IF;
  RETURN JSON_COMPACT(v);
END""",
    # SingleStore's regex functions take a `parameters` string: 'c' (the
    # default) matches case-sensitively, 'i' case-insensitively, the last one
    # wins; REGEXP_REPLACE also takes 'g' (D/cloud/reference/sql-reference/
    # regular-expression-functions/). Returns the PCRE flag for MariaDB.
    "regexp_flag": r"""
CREATE FUNCTION {s}.regexp_flag(params VARCHAR(64) CHARSET utf8mb4,
  allowed VARCHAR(8), fname VARCHAR(32))
RETURNS VARCHAR(8) DETERMINISTIC
BEGIN
  DECLARE i INT DEFAULT 1;
  DECLARE flag VARCHAR(8) DEFAULT '(?-i)';
  DECLARE ch CHAR(1) CHARSET utf8mb4;
  DECLARE msg VARCHAR(255) CHARSET utf8mb4;
  IF params IS NULL THEN RETURN NULL; END IF;
  WHILE i <= CHAR_LENGTH(params) DO
    SET ch = SUBSTRING(params, i, 1);
    IF LOCATE(ch, allowed) = 0 THEN
      SET msg = CONCAT('Incorrect arguments to ', fname,
        ': parameters may only contain the letters ', allowed, ', got ''',
        LEFT(params, 64), '''');
      SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1210, MESSAGE_TEXT = msg;
    END IF;
    IF ch = 'i' THEN SET flag = '(?i)';
    ELSEIF ch = 'c' THEN SET flag = '(?-i)';
    END IF;
    SET i = i + 1;
  END WHILE;
  RETURN flag;
END""",
    # The start (opt 0) or the end + 1 (opt 1) of the occ-th match at or
    # after character pos, 0 if none. Each search skips the first k
    # characters inside the pattern (`^.{k}.*?\K`), so `^` keeps meaning
    # the start of src.
    "regexp_find": r"""
CREATE FUNCTION {s}.regexp_find(src LONGTEXT CHARSET utf8mb4,
  pat LONGTEXT CHARSET utf8mb4, pos BIGINT, occ BIGINT, opt BIGINT,
  flag VARCHAR(8))
RETURNS BIGINT DETERMINISTIC
BEGIN
  DECLARE k BIGINT;
  DECLARE n BIGINT DEFAULT 0;
  DECLARE at BIGINT;
  DECLARE len BIGINT;
  DECLARE p LONGTEXT CHARSET utf8mb4;
  IF src IS NULL OR pat IS NULL OR pos IS NULL OR occ IS NULL OR opt IS NULL
     OR flag IS NULL THEN RETURN NULL; END IF;
  SET k = GREATEST(pos, 1) - 1;
  IF k >= CHAR_LENGTH(src) OR occ < 1 OR occ > CHAR_LENGTH(src) THEN
    RETURN 0;
  END IF;
  LOOP
    SET p = CONCAT(flag, '^[\\s\\S]{{', k, '}}[\\s\\S]*?\\K(?:', pat, ')');
    SET at = REGEXP_INSTR(src, p);
    IF at = 0 THEN RETURN 0; END IF;
    SET n = n + 1;
    IF n = occ AND opt = 0 THEN RETURN at; END IF;
    SET len = CHAR_LENGTH(REGEXP_SUBSTR(src, p));
    IF n = occ THEN RETURN at + len; END IF;
    SET k = at - 1 + GREATEST(len, 1);
    IF k >= CHAR_LENGTH(src) THEN RETURN 0; END IF;
  END LOOP;
END""",
    "regexp_instr": r"""
CREATE FUNCTION {s}.regexp_instr(src LONGTEXT CHARSET utf8mb4,
  pat LONGTEXT CHARSET utf8mb4, pos BIGINT, occ BIGINT, opt BIGINT,
  params VARCHAR(64) CHARSET utf8mb4)
RETURNS BIGINT DETERMINISTIC
BEGIN
  IF opt NOT IN (0, 1) THEN
    SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1210,
      MESSAGE_TEXT = 'Incorrect arguments to REGEXP_INSTR: option must be 0 or 1';
  END IF;
  RETURN {s}.regexp_find(src, pat, pos, occ, opt,
    {s}.regexp_flag(params, 'ci', 'REGEXP_INSTR'));
END""",
    # REGEXP_SUBSTR: NULL when there is no such occurrence.
    "regexp_substr": r"""
CREATE FUNCTION {s}.regexp_substr(src LONGTEXT CHARSET utf8mb4,
  pat LONGTEXT CHARSET utf8mb4, pos BIGINT, occ BIGINT,
  params VARCHAR(64) CHARSET utf8mb4)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
BEGIN
  DECLARE flag VARCHAR(8) DEFAULT {s}.regexp_flag(params, 'ci', 'REGEXP_SUBSTR');
  DECLARE a BIGINT DEFAULT {s}.regexp_find(src, pat, pos, occ, 0, flag);
  IF a IS NULL OR a = 0 THEN RETURN NULL; END IF;
  RETURN SUBSTRING(src, a, {s}.regexp_find(src, pat, pos, occ, 1, flag) - a);
END""",
    # REGEXP_REPLACE: the first match only unless parameters contain 'g'.
    "regexp_replace": r"""
CREATE FUNCTION {s}.regexp_replace(src LONGTEXT CHARSET utf8mb4,
  pat LONGTEXT CHARSET utf8mb4, rep LONGTEXT CHARSET utf8mb4,
  params VARCHAR(64) CHARSET utf8mb4)
RETURNS LONGTEXT CHARSET utf8mb4 DETERMINISTIC
BEGIN
  DECLARE flag VARCHAR(8) DEFAULT {s}.regexp_flag(params, 'cig', 'REGEXP_REPLACE');
  DECLARE a BIGINT;
  IF src IS NULL OR pat IS NULL OR rep IS NULL OR flag IS NULL THEN
    RETURN NULL;
  END IF;
  IF LOCATE('g', params) > 0 THEN
    RETURN REGEXP_REPLACE(src, CONCAT(flag, pat), rep);
  END IF;
  SET a = {s}.regexp_find(src, pat, 1, 1, 0, flag);
  IF a = 0 THEN RETURN src; END IF;
  RETURN REGEXP_REPLACE(src,
    CONCAT(flag, '^[\\s\\S]{{', a - 1, '}}\\K(?:', pat, ')'), rep);
END""",
    "date_trunc": """
CREATE FUNCTION {s}.date_trunc(unit VARCHAR(16), x DATETIME(6))
RETURNS DATETIME(6) DETERMINISTIC
RETURN CASE LOWER(unit)
  WHEN 'year' THEN CAST(DATE_FORMAT(x, '%Y-01-01') AS DATETIME(6))
  WHEN 'quarter' THEN CAST(CONCAT(YEAR(x), '-', (QUARTER(x) - 1) * 3 + 1, '-01')
    AS DATETIME(6))
  WHEN 'month' THEN CAST(DATE_FORMAT(x, '%Y-%m-01') AS DATETIME(6))
  WHEN 'week' THEN CAST(DATE(x) - INTERVAL WEEKDAY(x) DAY AS DATETIME(6))
  WHEN 'day' THEN CAST(DATE(x) AS DATETIME(6))
  WHEN 'hour' THEN CAST(DATE_FORMAT(x, '%Y-%m-%d %H:00:00') AS DATETIME(6))
  WHEN 'minute' THEN CAST(DATE_FORMAT(x, '%Y-%m-%d %H:%i:00') AS DATETIME(6))
  WHEN 'second' THEN CAST(DATE_FORMAT(x, '%Y-%m-%d %H:%i:%s') AS DATETIME(6))
  END""",
    # PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY v) and MEDIAN(v) as an
    # aggregate: the linear interpolation between the two values around
    # position p * (n - 1) of the sorted non-NULL values; NULL for none.
    "percentile_cont": """
CREATE AGGREGATE FUNCTION {s}.percentile_cont(v DOUBLE, p DOUBLE)
RETURNS DOUBLE
BEGIN
  DECLARE vals LONGTEXT DEFAULT '[]';
  DECLARE fraction DOUBLE DEFAULT NULL;
  DECLARE n BIGINT;
  DECLARE at DOUBLE;
  DECLARE below BIGINT;
  DECLARE above BIGINT;
  DECLARE lo DOUBLE;
  DECLARE hi DOUBLE;
  DECLARE CONTINUE HANDLER FOR NOT FOUND
  BEGIN
    SET n = JSON_LENGTH(vals);
    IF n = 0 OR fraction IS NULL THEN RETURN NULL; END IF;
    SET at = fraction * (n - 1);
    SET below = FLOOR(at);
    SET above = CEIL(at);
    SELECT x INTO lo FROM JSON_TABLE(vals, '$[*]' COLUMNS (x DOUBLE PATH '$')) t
      ORDER BY x LIMIT below, 1;
    SELECT x INTO hi FROM JSON_TABLE(vals, '$[*]' COLUMNS (x DOUBLE PATH '$')) t
      ORDER BY x LIMIT above, 1;
    RETURN lo + (hi - lo) * (at - below);
  END;
  LOOP
    FETCH GROUP NEXT ROW;
    IF v IS NOT NULL THEN SET vals = JSON_ARRAY_APPEND(vals, '$', v); END IF;
    SET fraction = p;
  END LOOP;
END""",
    # TIME_BUCKET(width, time, origin) with the width in microseconds:
    # time - ((time - origin) % width).
    "time_bucket": """
CREATE FUNCTION {s}.time_bucket(width BIGINT, t DATETIME(6), origin DATETIME(6))
RETURNS DATETIME(6) DETERMINISTIC
RETURN origin + INTERVAL
  FLOOR(TIMESTAMPDIFF(MICROSECOND, origin, t) / width) * width MICROSECOND""",
}


def expression_routines():
    """name -> (parameter names, body expression) of the routines that are a
    single RETURN expression, for places MariaDB allows no stored function
    (generated columns, computed.py)."""
    found = {}
    for name, text in _ROUTINES.items():
        match = _EXPRESSION_ROUTINE.match(text.strip())
        if match:
            names = [part.split()[0] for part in match.group(1).split(",")]
            body = re.sub(r"\s*\n\s*", " ", match.group(2))
            found[name] = (names, body.format(s=SCHEMA))
    return found


def install(query):
    """(Re)create every routine through `query(sql)`."""
    for name, body in _ROUTINES.items():
        query(f"DROP FUNCTION IF EXISTS {SCHEMA}.{name}")
        query(body.format(s=SCHEMA).strip())
