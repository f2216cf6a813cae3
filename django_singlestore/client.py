"""dbshell: the mysql command-line client, with the runtime connection's settings.

The arguments come from the same parsing as the driver's (params.py), so a
URL in HOST, a unix socket, the ``ssl`` dict, ``charset`` and
``init_command`` reach the shell exactly as they reach the connection.
"""

from django.db.backends.mysql.client import DatabaseClient as MySQLDatabaseClient

from .params import connection_settings

# driver keyword -> mysql client option
CLIENT_OPTIONS = (
    ("user", "--user"),
    ("host", "--host"),
    ("unix_socket", "--socket"),
    ("port", "--port"),
    ("ssl_ca", "--ssl-ca"),
    ("ssl_cert", "--ssl-cert"),
    ("ssl_key", "--ssl-key"),
    ("ssl_cipher", "--ssl-cipher"),
    ("charset", "--default-character-set"),
    ("init_command", "--init-command"),
)


class DatabaseClient(MySQLDatabaseClient):
    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        kwargs, _ = connection_settings(settings_dict)
        args = [cls.executable_name]
        args += [
            f"{option}={kwargs[key]}"
            for key, option in CLIENT_OPTIONS
            if kwargs.get(key) not in (None, "")
        ]
        # MYSQL_PWD keeps the password out of the process list.
        env = {"MYSQL_PWD": kwargs["password"]} if kwargs.get("password") else None
        if kwargs.get("database"):
            args.append(kwargs["database"])
        args.extend(parameters)
        return args, env
