-- The platform's finance team (reconciliation, suspense, settlement and refunds desk): a
-- platform-wide staff role, like treasury and auditor, so it has no agency.
alter table staff_member drop constraint staff_member_role_check;
alter table staff_member add constraint staff_member_role_check check (role in (
  'agency-officer', 'agency-supervisor', 'agency-admin', 'treasury', 'finance-officer', 'auditor',
  'platform-admin'));
