From: Amazon Certificates <no-reply@certificates.amazon.com>
To: admin@example.com
Subject: Certificate approval for md-new.example.com
Date: Mon, 10 Jun 2024 16:02:00 +0000
Message-ID: <de3c6911-e6d1-49b8-89d8-8f9aea6727a5@email.amazonses.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

Greetings from Amazon Web Services,
 
We received a request to issue an SSL/TLS certificate for
md-new.example.com.
 
Please check that the domain, AWS account number and certificate
identifier below match a request made by you or by someone in your
organization.
 
Domain: md-new.example.com
AWS account ID: 2222-3333-4444
AWS Region name: eu-west-2
Certificate identifier: a6b916eb-7ba7-4d27-84b4-eae71343fb7f
 
To approve this request, go to Amazon Certificate Approvals at
https://eu-west-2.certificates.amazon.com/approvals?code=b559abf0-29e4-4c8e-88b3-4000fb9c01ad&context=1535cc5b-9042-4679-8dd5-602e1014505f-65752d776573742d32
and follow the instructions on the page.
 
If you do not want to approve this request, you need not do anything.
 
This mail is meant only for the people who look after
md-new.example.com. Concerns go to validation-questions@amazon.com.
 
Sincerely,
Amazon Web Services
 
--
Amazon Web Services, Inc. is a subsidiary of Amazon.com, Inc.
This message was produced and distributed by Amazon Web Services,
Inc., Seattle, WA. (c)2015, Amazon Web Services, Inc. or its
affiliates. All rights reserved. Privacy notice:
https://aws.amazon.com/privacy/
