From: Amazon Certificates <no-reply@certificates.amazon.com>
To: admin@example.com
Subject: Certificate request for md-tmp.example.com
Date: Mon, 10 Jun 2024 16:03:00 +0000
Message-ID: <71534969-6fac-43cf-86e4-ac10c1df757a@email.amazonses.com>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 7bit

Greetings from Amazon Web Services,

We received a request to issue an SSL/TLS certificate for
md-tmp.example.com.

Please check that the domain, AWS account ID and certificate identifier
below match a request made by you or by someone in your organization.

Domain: md-tmp.example.com
AWS account ID: 111122223333
AWS Region name: eu-west-2
Certificate Identifier: arn:aws:acm:eu-west-2:111122223333:certificate/fe663389-0a65-48e3-8701-2dd81be43b42

To approve this request, go to Amazon Certificate Approvals
(https://eu-west-2.acm-certificates.amazon.com/approvals?code=23b1a8e6-07dc-4fe5-89a5-a4f3f91370c2&context=4f30fe53-41f8-459d-84a2-7e237ddcf3d5-65752d776573742d32)
and follow the instructions on the page.

This mail is meant only for the people who look after
md-tmp.example.com. If you have concerns about this request, or it
reached you by mistake, forward it to validation-questions@amazon.com.

Sincerely,
Amazon Web Services
