DROP TABLE mail_threads;
