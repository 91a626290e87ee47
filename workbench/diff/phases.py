"""The order of a migration: what must go before what.

Drops run first, dependents before what they depend on; then creates, each kind after what it
may need. Within a phase, statements keep the order their producer gave (views, partitions
and tables are produced in dependency order), else they sort by target.
"""
ENUM_VALUE = 1  # outside the transaction: a label added in one cannot be used until it commits
RENAME = 5
DROP_POLICY = 10
DROP_TRIGGER = 11
DROP_VIEW = 12
DROP_FOREIGN_KEY = 13
DROP_CONSTRAINT = 14
DROP_INDEX = 15
DETACH_PARTITION = 16
DROP_TABLE = 18
DROP_COLUMN = 19
DROP_FUNCTION = 20
DROP_SEQUENCE = 21
DROP_TYPE = 22
DROP_EXTENSION = 23
DROP_SCHEMA = 24

CREATE_SCHEMA = 30
CREATE_EXTENSION = 31
CREATE_TYPE = 32
CREATE_SEQUENCE = 33
CREATE_FUNCTION = 34
CREATE_TABLE = 35
ALTER_COLUMN = 36
ATTACH_PARTITION = 37
LATE_FUNCTION = 38
OWN_SEQUENCE = 39
ADD_CONSTRAINT = 40
CREATE_INDEX = 41
ADD_FOREIGN_KEY = 42
VALIDATE = 43
CREATE_VIEW = 44
VIEW_INDEX = 45
CREATE_TRIGGER = 46
ROW_SECURITY = 47
CREATE_POLICY = 48
DROP_OLD_TYPE = 49
DROP_OLD_SEQUENCE = 49  # once no column default uses it
GRANT = 50
OWNER = 51
COMMENT = 52
DEFAULT_PRIVILEGE = 53  # last: the objects the migration makes get the defaults in force before it
