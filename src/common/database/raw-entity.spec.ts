import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from './json-column';
import { hydrate, insertEntity } from './raw-entity';

@Entity('raw_things')
class ThingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40, name: 'medicine_code' }) medicineCode!: string;
  @Column({ type: 'integer', nullable: true }) count!: number | null;
  @Column({ type: 'real', name: 'weight_kg' }) weightKg!: number;
  @Column({ type: 'boolean' }) active!: boolean;
  @Column({ type: 'text', transformer: jsonText }) indications!: { code: string }[] | null;
}

/** hydrate and insertEntity against TypeORM's own find and insert, on SQLite (the e2e suites run both on PostgreSQL too). */
describe('entities read and written by their column metadata', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [ThingEntity] });
    await dataSource.initialize();
    await dataSource.query('CREATE TABLE raw_things (id varchar(36) PRIMARY KEY, medicine_code varchar(40) NOT NULL, count integer, weight_kg real NOT NULL, active boolean NOT NULL, indications text)');
  });

  afterAll(() => dataSource.destroy());

  const things: ThingEntity[] = [
    Object.assign(new ThingEntity(), { id: 'a', medicineCode: 'NULOJIX', count: 3, weightKg: 70.5, active: true, indications: [{ code: 'tma-cni' }] }),
    Object.assign(new ThingEntity(), { id: 'b', medicineCode: 'ONC201', count: null, weightKg: 0, active: false, indications: null }),
  ];

  it('inserts what TypeORM reads back the same, and reads back what TypeORM inserted', async () => {
    const repo = dataSource.getRepository(ThingEntity);
    await insertEntity(dataSource.manager, ThingEntity, things[0]!);
    await repo.insert(things[1]!);
    for (const thing of things) {
      const viaFind = await repo.findOneByOrFail({ id: thing.id });
      const [row] = await dataSource.query<Record<string, unknown>[]>('SELECT * FROM raw_things WHERE id = ?', [thing.id]);
      const viaRow = hydrate(dataSource.manager, ThingEntity, row!);
      expect(viaRow).toBeInstanceOf(ThingEntity);
      expect(viaRow).toEqual(viaFind);
      expect(viaRow).toEqual(thing);
    }
  });
});
