"""dbshell: the mysql command-line client, with the runtime connection's settings.

The arguments come from the same parsing as the driver's (params.py), so a
URL in HOST, a unix socket, the TLS settings (``ssl`` and ``ssl_mode``),
``charset``, ``init_command`` and ``read_default_file`` reach the shell
exactly as they reach the connection.
"""

from django.db.backends.mysql.client import DatabaseClient as MySQLDatabaseClient

from .params import connection_settings

# driver keyword -> mysql client option
CLIENT_OPTIONS = (
    ("user", "--user"),
    ("host", "--host"),
    ("unix_socket", "--socket"),
    ("port", "--port"),
    ("ssl_mode", "--ssl-mode"),
)
SESSION_OPTIONS = (
    ("charset", "--default-character-set"),
    ("init_command", "--init-command"),
)
# key of the driver's ssl dict -> mysql client option
TLS_OPTIONS = (
    ("ca", "--ssl-ca"),
    ("capath", "--ssl-capath"),
    ("cert", "--ssl-cert"),
    ("key", "--ssl-key"),
    ("cipher", "--ssl-cipher"),
)


class DatabaseClient(MySQLDatabaseClient):
    @staticmethod
    def _options(values, options):
        return [
            f"{option}={values[key]}"
            for key, option in options
            if values.get(key) not in (None, "")
        ]

    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        kwargs, _ = connection_settings(settings_dict)
        args = [cls.executable_name]
        # mysql reads --defaults-file only as its first option.
        if kwargs.get("read_default_file"):
            args.append(f"--defaults-file={kwargs['read_default_file']}")
        ssl = kwargs.get("ssl", {})
        args += cls._options(kwargs, CLIENT_OPTIONS)
        args += cls._options(ssl, TLS_OPTIONS)
        args += cls._options(kwargs, SESSION_OPTIONS)
        # MYSQL_PWD keeps the password out of the process list.
        env = {"MYSQL_PWD": kwargs["password"]} if kwargs.get("password") else None
        if kwargs.get("database"):
            args.append(kwargs["database"])
        args.extend(parameters)
        return args, env
