/**
 * Who may act on the Art 4-6 records of an incident — the same roles the server enforces (it
 * decides; this only hides buttons it would refuse): acting members (owner, legal, responder)
 * file disclosures and draft announcements; consent, refusal, approval and the emergency
 * publication bind the company and need owner or legal (Arts 5.1, 6.1, 6.2).
 */
export function articlePermissions(user: { isAdmin: boolean; role: string } | null | undefined) {
  const member = Boolean(user && !user.isAdmin);
  return {
    acting: member && ['owner', 'legal', 'responder'].includes(user!.role),
    deciding: member && (user!.role === 'owner' || user!.role === 'legal'),
  };
}
